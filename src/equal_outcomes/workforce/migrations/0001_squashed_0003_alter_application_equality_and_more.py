# The schema 0001_initial to 0003_alter_application_equality_and_more build, in one step: a new installation
# creates it directly (about a second faster to migrate); an existing one keeps the steps it ran.

import concurrency.fields
import django.db.models.deletion
import equal_outcomes.core.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('workforce', '0001_initial'),
        ('workforce', '0002_versions'),
        ('workforce', '0003_alter_application_equality_and_more'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Application',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('equality', equal_outcomes.core.fields.EncryptedTextField(blank=True, pad_to=512, verbose_name='equality answers')),
                ('reference', models.CharField(max_length=32, unique=True, verbose_name='application reference')),
                ('vacancy', models.CharField(blank=True, max_length=64, verbose_name='vacancy')),
                ('applied_on', models.DateField(verbose_name='applied')),
                ('stage', models.CharField(choices=[('applied', 'Applied'), ('shortlisted', 'Shortlisted'), ('interviewed', 'Interviewed'), ('appointed', 'Appointed')], max_length=12, verbose_name='furthest stage')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['-applied_on', 'reference'],
            },
        ),
        migrations.CreateModel(
            name='StaffMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('equality', equal_outcomes.core.fields.EncryptedTextField(blank=True, pad_to=512, verbose_name='equality answers')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('reference', models.CharField(max_length=32, unique=True, verbose_name='HR reference')),
                ('body', models.CharField(choices=[('staff', 'Staff'), ('board', 'Board')], max_length=8, verbose_name='staff or board')),
                ('senior_manager', models.BooleanField(default=False, verbose_name='senior manager')),
                ('job_title', models.CharField(blank=True, max_length=100, verbose_name='role')),
                ('grade', models.CharField(blank=True, max_length=32, verbose_name='grade')),
                ('hourly_pay', models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, verbose_name='hourly pay (£)')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='started')),
                ('left_on', models.DateField(blank=True, null=True, verbose_name='left')),
                ('leaving_reason', models.CharField(blank=True, choices=[('resigned', 'Resigned'), ('retired', 'Retired'), ('dismissed', 'Dismissed'), ('redundancy', 'Redundancy'), ('end_of_contract', 'End of contract'), ('other', 'Other')], max_length=20, verbose_name='reason for leaving')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['reference'],
            },
        ),
        migrations.CreateModel(
            name='Benchmark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('comparison', models.CharField(choices=[('labour_market', 'Local labour market'), ('target', 'Our target')], max_length=16, verbose_name='kind')),
                ('body', models.CharField(choices=[('staff', 'Staff'), ('board', 'Board')], default='staff', max_length=8, verbose_name='for')),
                ('characteristic', models.CharField(max_length=40, verbose_name='characteristic')),
                ('category', models.CharField(max_length=40, verbose_name='category')),
                ('share', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='share (%)')),
                ('source', models.CharField(blank=True, max_length=200, verbose_name='source')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['comparison', 'body', 'characteristic', 'category'],
                'constraints': [models.UniqueConstraint(fields=('comparison', 'body', 'characteristic', 'category'), name='one_benchmark_per_category'), models.CheckConstraint(condition=models.Q(('share__gte', 0), ('share__lte', 100)), name='share_is_a_percentage')],
            },
        ),
        migrations.CreateModel(
            name='Case',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(max_length=32, unique=True, verbose_name='case reference')),
                ('kind', models.CharField(choices=[('grievance', 'Grievance'), ('harassment', 'Harassment'), ('bullying', 'Bullying'), ('disciplinary', 'Disciplinary')], max_length=16, verbose_name='kind')),
                ('opened_on', models.DateField(verbose_name='opened')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed')),
                ('upheld', models.BooleanField(null=True, verbose_name='upheld')),
                ('staff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cases', to='workforce.staffmember')),
            ],
            options={
                'ordering': ['-opened_on'],
            },
        ),
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('equality', equal_outcomes.core.fields.EncryptedTextField(blank=True, pad_to=512, verbose_name='equality answers')),
                ('survey', models.CharField(max_length=64, verbose_name='survey')),
                ('reference', models.CharField(max_length=32, verbose_name='response reference')),
                ('responded_on', models.DateField(verbose_name='responded')),
                ('satisfied', models.BooleanField(null=True, verbose_name='satisfied working here')),
                ('fair_employer', models.BooleanField(null=True, verbose_name='a good and fair employer')),
                ('treated_with_respect', models.BooleanField(null=True, verbose_name='treated with dignity and respect')),
                ('safe_at_work', models.BooleanField(null=True, verbose_name='a safe and secure working environment')),
            ],
            options={
                'ordering': ['survey', 'reference'],
                'constraints': [models.UniqueConstraint(fields=('survey', 'reference'), name='one_response_per_ref')],
            },
        ),
        migrations.CreateModel(
            name='Training',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('course', models.CharField(max_length=100, verbose_name='course')),
                ('equality_and_diversity', models.BooleanField(verbose_name='equality and diversity training')),
                ('completed_on', models.DateField(verbose_name='completed')),
                ('staff', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='training', to='workforce.staffmember')),
            ],
            options={
                'ordering': ['-completed_on'],
                'constraints': [models.UniqueConstraint(fields=('staff', 'course', 'completed_on'), name='one_completion_per_day')],
            },
        ),
    ]
