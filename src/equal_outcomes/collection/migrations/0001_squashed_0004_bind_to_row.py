# The schema 0001_questionnaire to 0004_bind_to_row build, in one step: a new installation
# creates it directly (about a second faster to migrate); an existing one keeps the steps it ran.

import django.db.models.deletion
import equal_outcomes.core.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('collection', '0001_questionnaire'),
        ('collection', '0002_alter_draft_answers'),
        ('collection', '0003_draft_per_respondent'),
        ('collection', '0004_bind_to_row'),
    ]

    dependencies = [
        ('customers', '0001_squashed_0008_places_and_postcodes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(verbose_name='created at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='completed at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='customers.customer')),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Draft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('answers', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, pad_to=512, verbose_name='answers so far')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='drafts', to='customers.customer')),
                ('invitation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='draft', to='collection.invitation')),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('invitation__isnull', True)), fields=('customer',), name='one_signed_in_draft_per_customer')],
            },
        ),
    ]
