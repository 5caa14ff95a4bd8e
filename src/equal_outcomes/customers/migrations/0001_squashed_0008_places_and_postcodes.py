# The schema 0001_initial to 0008_places_and_postcodes build, in one step: a new installation
# creates it directly (about a second faster to migrate); an existing one keeps the steps it ran.

import concurrency.fields
import django.db.models.deletion
import equal_outcomes.core.fields
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('customers', '0001_initial'),
        ('customers', '0002_rights_and_restricted_details'),
        ('customers', '0003_fewer_answer_indexes'),
        ('customers', '0004_versions'),
        ('customers', '0005_alter_profileanswer_value'),
        ('customers', '0006_support_need_teams'),
        ('customers', '0007_bind_to_row'),
        ('customers', '0008_places_and_postcodes'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Household',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('household_ref', models.CharField(max_length=32, unique=True, verbose_name='household reference')),
            ],
            options={
                'ordering': ['household_ref'],
            },
        ),
        migrations.CreateModel(
            name='Area',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=32, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('officers', models.ManyToManyField(blank=True, help_text="Housing officers who manage this area's customers.", related_name='areas', to=settings.AUTH_USER_MODEL, verbose_name='housing officers')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Customer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('landlord_ref', models.CharField(max_length=32, unique=True, verbose_name='customer reference')),
                ('customer_type', models.CharField(max_length=32, verbose_name='customer type')),
                ('first_name', models.CharField(max_length=100, verbose_name='first name')),
                ('last_name', models.CharField(max_length=100, verbose_name='last name')),
                ('date_of_birth', models.DateField(blank=True, null=True, verbose_name='date of birth')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('phone', models.CharField(blank=True, max_length=32, verbose_name='phone')),
                ('objects_to_monitoring', models.BooleanField(default=False, help_text='Left out of every analysis snapshot when set.', verbose_name='objects to equality monitoring')),
                ('erased_at', models.DateTimeField(blank=True, help_text="Set when the person's data was erased; the row stays so counts add up.", null=True, verbose_name='erased')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('user', models.OneToOneField(blank=True, help_text='The account a tenant signs in with to see and update their own record.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='customer', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='customers.household')),
            ],
            options={
                'ordering': ['last_name', 'first_name', 'landlord_ref'],
            },
        ),
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=40, verbose_name='field')),
                ('previous_value', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='previous value')),
                ('new_value', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='new value')),
                ('reason', models.CharField(max_length=200, verbose_name='reason')),
                ('corrected_at', models.DateTimeField(verbose_name='corrected at')),
                ('corrected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='customers.customer')),
            ],
            options={
                'ordering': ['customer', 'corrected_at'],
            },
        ),
        migrations.CreateModel(
            name='CommunicationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(help_text='Code from touchpoint', max_length=32, verbose_name='source')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('preferred_language', models.CharField(blank=True, max_length=8, verbose_name='preferred language')),
                ('interpreter_needed', models.BooleanField(default=False, verbose_name='interpreter needed')),
                ('preferred_format', models.CharField(blank=True, max_length=32, verbose_name='preferred format')),
                ('preferred_contact_method', models.CharField(blank=True, max_length=32, verbose_name='preferred contact method')),
                ('contact_times', models.CharField(blank=True, max_length=120, verbose_name='best times to contact')),
                ('representative', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, help_text='Name and how to reach them', verbose_name='representative or advocate')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='communication', to='customers.customer')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='CommunicationNeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(help_text='Code from touchpoint', max_length=32, verbose_name='source')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('need', models.CharField(help_text='Code from communication_need', max_length=32, verbose_name='need')),
                ('details', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='details')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='ended')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='communication_needs', to='customers.customer')),
            ],
            options={
                'ordering': ['customer', 'need'],
            },
        ),
        migrations.CreateModel(
            name='Estate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=32, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='estates', to='customers.area')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Block',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=32, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('estate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='blocks', to='customers.estate')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='ProfileAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('characteristic', models.CharField(max_length=40, verbose_name='characteristic')),
                ('state', models.CharField(choices=[('answered', 'Answered'), ('prefer_not_to_say', 'Prefer not to say'), ('not_asked', 'Not asked')], max_length=20, verbose_name='state')),
                ('value', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, pad_to=128, verbose_name='value')),
                ('touchpoint', models.CharField(max_length=32, verbose_name='source')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('last_confirmed_at', models.DateTimeField(verbose_name='last confirmed')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='expires on')),
                ('is_current', models.BooleanField(default=True)),
                ('superseded_at', models.DateTimeField(blank=True, null=True)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='customers.customer')),
                ('recorded_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['customer', 'characteristic', '-recorded_at'],
            },
        ),
        migrations.CreateModel(
            name='Property',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('property_ref', models.CharField(max_length=32, unique=True, verbose_name='property reference')),
                ('address', models.CharField(max_length=200, verbose_name='address')),
                ('postcode', models.CharField(max_length=8, verbose_name='postcode')),
                ('lsoa_code', models.CharField(blank=True, max_length=9, verbose_name='LSOA code')),
                ('rural_urban', models.CharField(blank=True, help_text='ONS 2011 code, e.g. C1', max_length=2, verbose_name='rural-urban class')),
                ('uprn', models.CharField(blank=True, max_length=12, verbose_name='UPRN')),
                ('local_authority', models.CharField(blank=True, max_length=120, verbose_name='local authority')),
                ('block', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='properties', to='customers.block')),
                ('estate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='properties', to='customers.estate')),
            ],
            options={
                'verbose_name_plural': 'properties',
                'ordering': ['property_ref'],
            },
        ),
        migrations.AddField(
            model_name='household',
            name='property',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='households', to='customers.property'),
        ),
        migrations.CreateModel(
            name='ReasonableAdjustment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(help_text='Code from touchpoint', max_length=32, verbose_name='source')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('adjustment', models.CharField(help_text='Code from adjustment', max_length=40, verbose_name='adjustment')),
                ('details', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='details')),
                ('status', models.CharField(choices=[('requested', 'Requested'), ('agreed', 'Agreed'), ('refused', 'Refused')], max_length=12, verbose_name='status')),
                ('refusal_reason', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='reason for refusal')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('review_date', models.DateField(blank=True, null=True, verbose_name='review date')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='adjustments', to='customers.customer')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['customer', 'adjustment'],
            },
        ),
        migrations.CreateModel(
            name='RestrictedDetails',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('safe_address', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, help_text='Where to write to or visit, if not the home', verbose_name='safe address')),
                ('gender_history', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='gender history')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('customer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='restricted', to='customers.customer')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'restricted details',
            },
        ),
        migrations.CreateModel(
            name='SupportNeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(help_text='Code from touchpoint', max_length=32, verbose_name='source')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('need', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', help_text='Code from support_need', verbose_name='need')),
                ('details', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', blank=True, verbose_name='details')),
                ('start_date', models.DateField(verbose_name='start date')),
                ('review_date', models.DateField(verbose_name='review date')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                ('customer_told', models.BooleanField(default=True, verbose_name='customer told it is recorded')),
                ('confidentiality', models.CharField(choices=[('standard', 'Staff who work with the customer'), ('restricted', 'Restricted: named teams only'), ('highly_restricted', 'Highly restricted: safeguarding leads only')], default='standard', max_length=20, verbose_name='confidentiality')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_needs', to='customers.customer')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('teams', models.ManyToManyField(blank=True, related_name='+', to='auth.group', verbose_name='teams who may see it')),
            ],
            options={
                'ordering': ['customer', 'review_date'],
            },
        ),
        migrations.CreateModel(
            name='Tenancy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tenancy_ref', models.CharField(max_length=32, unique=True, verbose_name='tenancy reference')),
                ('start_date', models.DateField(verbose_name='start date')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                ('end_reason', models.CharField(blank=True, help_text='Code from tenancy_end_reason', max_length=32, verbose_name='end reason')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tenancies', to='customers.household')),
                ('property', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tenancies', to='customers.property')),
            ],
            options={
                'verbose_name_plural': 'tenancies',
                'ordering': ['-start_date'],
            },
        ),
        migrations.CreateModel(
            name='EmergencyAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', equal_outcomes.core.fields.EncryptedTextField(bind='customer_id', verbose_name='reason')),
                ('granted_at', models.DateTimeField(verbose_name='granted at')),
                ('expires_at', models.DateTimeField(db_index=True, verbose_name='expires at')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='emergency_access', to='customers.customer')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='emergency_access', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'emergency access',
                'ordering': ['-granted_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('granted_at'))), name='emergency_access_expires_after_grant')],
            },
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['last_name', 'first_name'], name='customers_c_last_na_27dbcc_idx'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['customer_type'], name='customers_c_custome_47da94_idx'),
        ),
        migrations.AddConstraint(
            model_name='profileanswer',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('customer', 'characteristic'), name='one_current_answer_per_characteristic'),
        ),
        migrations.AddConstraint(
            model_name='profileanswer',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['answered', 'prefer_not_to_say', 'not_asked'])), name='answer_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='reasonableadjustment',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['requested', 'agreed', 'refused'])), name='adjustment_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='supportneed',
            constraint=models.CheckConstraint(condition=models.Q(('confidentiality__in', ['standard', 'restricted', 'highly_restricted'])), name='support_need_confidentiality_valid'),
        ),
        migrations.AddConstraint(
            model_name='supportneed',
            constraint=models.CheckConstraint(condition=models.Q(('review_date__gte', models.F('start_date'))), name='support_need_review_after_start'),
        ),
        migrations.AddConstraint(
            model_name='tenancy',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='tenancy_ends_after_start'),
        ),
    ]
