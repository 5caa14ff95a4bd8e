# The schema 0001_initial to 0007_bind_to_row build, in one step: a new installation
# creates it directly (about a second faster to migrate); an existing one keeps the steps it ran.

import concurrency.fields
import django.db.models.deletion
import django.utils.timezone
import equal_outcomes.core.fields
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('sharing', '0001_initial'),
        ('sharing', '0002_alter_agreement_kind_apitoken'),
        ('sharing', '0003_referral'),
        ('sharing', '0004_versions'),
        ('sharing', '0005_partner_token_as_actor'),
        ('sharing', '0006_jobs'),
        ('sharing', '0007_bind_to_row'),
    ]

    dependencies = [
        ('customers', '0001_squashed_0008_places_and_postcodes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Agreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('partner', models.CharField(max_length=200, verbose_name='partner')),
                ('kind', models.CharField(choices=[('contractor', 'Contractor'), ('partner', 'Partner agency'), ('system', "The landlord's own system (housing management)")], max_length=12, verbose_name='kind of partner')),
                ('purpose', models.CharField(max_length=500, verbose_name='purpose')),
                ('lawful_basis', models.CharField(max_length=300, verbose_name='lawful basis')),
                ('fields', models.JSONField(default=list, verbose_name='fields shared')),
                ('starts_on', models.DateField(verbose_name='starts')),
                ('expires_on', models.DateField(verbose_name='expires')),
                ('review_on', models.DateField(verbose_name='review by')),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('users', models.ManyToManyField(blank=True, related_name='agreements', to=settings.AUTH_USER_MODEL, verbose_name='partner staff who use it')),
            ],
            options={
                'ordering': ['partner', '-starts_on'],
            },
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('prefix', models.CharField(max_length=12, unique=True)),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('scopes', models.JSONField(default=list)),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tokens', to='sharing.agreement')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Disclosure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fields', models.JSONField(default=list)),
                ('channel', models.CharField(max_length=20)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='disclosures', to='sharing.agreement')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='disclosures', to='customers.customer')),
                ('disclosed_to', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-at'],
            },
        ),
        migrations.CreateModel(
            name='FieldReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('kind', models.CharField(choices=[('need', 'A need noticed at a visit'), ('no_access', 'No access at a visit')], max_length=10, verbose_name='what happened')),
                ('visit_on', models.DateField(verbose_name='date of the visit')),
                ('suggested_need', models.CharField(blank=True, max_length=32, verbose_name='the need')),
                ('note', equal_outcomes.core.fields.EncryptedTextField(bind='property_id', blank=True, verbose_name='what you noticed')),
                ('reported_at', models.DateTimeField(auto_now_add=True)),
                ('status', models.CharField(choices=[('pending', 'Waiting for a staff member'), ('confirmed', 'Confirmed'), ('rejected', 'Not confirmed')], default='pending', max_length=10)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='sharing.agreement')),
                ('api_token', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sharing.apitoken')),
                ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='customers.customer')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('property', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='field_reports', to='customers.property')),
                ('reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-reported_at'],
            },
        ),
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('direction', models.CharField(choices=[('out', 'From us to the partner'), ('in', 'From the partner to us')], max_length=3, verbose_name='direction')),
                ('need', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', verbose_name='support asked for')),
                ('consent', models.CharField(choices=[('given', 'The customer agreed'), ('safeguarding', 'Without consent: a safeguarding duty applies')], max_length=12, verbose_name='consent')),
                ('consent_on', models.DateField(blank=True, null=True, verbose_name='date of consent')),
                ('safeguarding_reason', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='safeguarding reason')),
                ('referred_on', models.DateField(verbose_name='date referred')),
                ('status', models.CharField(choices=[('sent', 'Sent, waiting for an answer'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('completed', 'Support given'), ('withdrawn', 'Withdrawn')], default='sent', max_length=10, verbose_name='status')),
                ('outcome', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='outcome')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='date closed')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='sharing.agreement')),
                ('api_token', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sharing.apitoken')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals', to='customers.customer')),
            ],
            options={
                'ordering': ['-referred_on'],
            },
        ),
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('job_ref', models.CharField(max_length=40, unique=True, verbose_name='job reference')),
                ('work', models.CharField(blank=True, max_length=200, verbose_name='the work')),
                ('opened_on', models.DateField(verbose_name='opened')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due by')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed')),
                ('source', models.CharField(choices=[('staff', 'Raised by staff'), ('import', 'Imported from the housing system'), ('api', 'Sent by the housing system')], default='staff', max_length=6)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='jobs', to='sharing.agreement', verbose_name='contractor')),
                ('api_token', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sharing.apitoken')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('property', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to='customers.property')),
            ],
            options={
                'ordering': ['due_on', 'opened_on', 'job_ref'],
                'indexes': [models.Index(fields=['property', 'agreement', 'closed_on'], name='sharing_job_propert_167d0c_idx')],
            },
        ),
    ]
