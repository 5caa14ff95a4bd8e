# The schema 0001_initial to 0002_versions build, in one step: a new installation
# creates it directly (about a second faster to migrate); an existing one keeps the steps it ran.

import concurrency.fields
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('assessment', '0001_initial'),
        ('assessment', '0002_versions'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Objective',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('title', models.CharField(max_length=300, verbose_name='objective')),
                ('description', models.TextField(blank=True, max_length=5000, verbose_name='description')),
                ('owner', models.CharField(max_length=200, verbose_name='owner')),
                ('set_on', models.DateField(verbose_name='date set')),
                ('last_reviewed_on', models.DateField(blank=True, null=True, verbose_name='last reviewed')),
                ('review_every_years', models.PositiveSmallIntegerField(default=3, verbose_name='review every (years)')),
                ('status', models.CharField(choices=[('active', 'Active'), ('achieved', 'Achieved'), ('retired', 'Retired')], default='active', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['title'],
            },
        ),
        migrations.CreateModel(
            name='Policy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='policy')),
                ('owner', models.CharField(max_length=200, verbose_name='owner')),
                ('review_cycle_years', models.PositiveSmallIntegerField(default=3, verbose_name='review cycle (years)')),
                ('adopted_on', models.DateField(verbose_name='date adopted')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name_plural': 'policies',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Assessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('edition', models.CharField(max_length=40, verbose_name='edition')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('assessed_on', models.DateField(verbose_name='date of the assessment')),
                ('areas', models.JSONField(default=list, verbose_name='areas in scope')),
                ('assessors', models.CharField(max_length=500, verbose_name='assessors')),
                ('evidence_as_at', models.CharField(blank=True, max_length=40)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-assessed_on', '-created_at'],
            },
        ),
        migrations.CreateModel(
            name='EvidenceFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('question', models.CharField(max_length=20)),
                ('file_name', models.CharField(max_length=200)),
                ('stored_path', models.CharField(max_length=500)),
                ('size', models.PositiveIntegerField()),
                ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='assessment.assessment')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='ImpactAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('completed_on', models.DateField(verbose_name='date completed')),
                ('assessor', models.CharField(max_length=200, verbose_name='assessed by')),
                ('summary', models.TextField(blank=True, max_length=5000, verbose_name='summary')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='impact_assessments', to='assessment.policy')),
            ],
            options={
                'ordering': ['-completed_on'],
            },
        ),
        migrations.CreateModel(
            name='PeopleEvidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('toolkit', models.CharField(max_length=40)),
                ('sub_outcome', models.CharField(max_length=10)),
                ('kind', models.CharField(choices=[('consultation', 'Consultation notes'), ('complaints', 'Complaint themes'), ('mystery_shopping', 'Mystery shopping'), ('focus_group', 'Focus group'), ('feedback', 'Comments and feedback'), ('other', 'Other')], max_length=20, verbose_name='kind of evidence')),
                ('recorded_on', models.DateField(verbose_name='date')),
                ('note', models.TextField(max_length=5000, verbose_name='what it showed')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-recorded_on'],
            },
        ),
        migrations.CreateModel(
            name='PolicyReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reviewed_on', models.DateField(verbose_name='date reviewed')),
                ('notes', models.TextField(blank=True, max_length=5000, verbose_name='what changed')),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='assessment.policy')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-reviewed_on'],
            },
        ),
        migrations.CreateModel(
            name='Risk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('toolkit', models.CharField(max_length=40)),
                ('sub_outcome', models.CharField(max_length=10)),
                ('problem', models.CharField(max_length=500, verbose_name='the problem')),
                ('text', models.TextField(max_length=2000, verbose_name='the risk')),
                ('from_library', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['toolkit', 'sub_outcome', 'created_at'],
            },
        ),
        migrations.CreateModel(
            name='Action',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('title', models.CharField(max_length=500, verbose_name='action')),
                ('owner', models.CharField(max_length=200, verbose_name='owner')),
                ('due_on', models.DateField(verbose_name='due by')),
                ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done'), ('dropped', 'Dropped')], default='not_started', max_length=12, verbose_name='status')),
                ('indicator', models.CharField(blank=True, max_length=60, verbose_name='indicator')),
                ('characteristic', models.CharField(blank=True, max_length=40, verbose_name='characteristic')),
                ('category', models.CharField(blank=True, max_length=60, verbose_name='group')),
                ('measure', models.CharField(blank=True, choices=[('gap_below', 'Close the gap with everyone else to under the target'), ('at_least', 'Reach at least the target'), ('at_most', 'Bring down to at most the target')], max_length=10, verbose_name='target kind')),
                ('target', models.FloatField(blank=True, null=True, verbose_name='target')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('objective', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions', to='assessment.objective')),
                ('risk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions', to='assessment.risk')),
            ],
            options={
                'ordering': ['due_on', 'title'],
            },
        ),
        migrations.CreateModel(
            name='CriterionRating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('criterion', models.CharField(max_length=8)),
                ('rating', models.PositiveSmallIntegerField(choices=[(1, '1: not in place'), (2, '2: being established'), (3, '3: in place but needs improving'), (4, '4: in place and effective')], null=True, verbose_name='rating')),
                ('difference', models.TextField(blank=True, max_length=5000, verbose_name='what difference has this made?')),
                ('updated_at', models.DateTimeField(null=True)),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='assessment.assessment')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('assessment', 'criterion'), name='one_rating')],
            },
        ),
        migrations.CreateModel(
            name='Impact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('characteristic', models.CharField(max_length=40)),
                ('impact', models.CharField(choices=[('positive', 'Positive'), ('neutral', 'Neutral'), ('negative', 'Negative (adverse)'), ('unknown', 'Not known yet')], max_length=10)),
                ('evidence', models.TextField(blank=True, max_length=3000)),
                ('mitigation', models.TextField(blank=True, max_length=3000)),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='impacts', to='assessment.impactassessment')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('assessment', 'characteristic'), name='one_impact')],
            },
        ),
        migrations.CreateModel(
            name='MeasureReading',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('data_as_at', models.CharField(max_length=40)),
                ('n', models.PositiveIntegerField(null=True)),
                ('value', models.FloatField(null=True)),
                ('comparator', models.FloatField(null=True)),
                ('gap', models.FloatField(null=True)),
                ('met', models.BooleanField(default=False)),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('action', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='readings', to='assessment.action')),
            ],
            options={
                'ordering': ['data_as_at'],
                'constraints': [models.UniqueConstraint(fields=('action', 'data_as_at'), name='one_reading')],
            },
        ),
        migrations.CreateModel(
            name='QuestionResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='record revision number')),
                ('question', models.CharField(max_length=20)),
                ('answer', models.CharField(blank=True, choices=[('yes', 'Yes'), ('partly', 'Partly'), ('no', 'No'), ('na', 'Not applicable')], max_length=10, verbose_name='answer')),
                ('notes', models.TextField(blank=True, max_length=5000, verbose_name='evidence notes')),
                ('links', models.TextField(blank=True, max_length=2000, verbose_name='links to evidence')),
                ('live', models.JSONField(blank=True, null=True)),
                ('decision', models.CharField(blank=True, choices=[('', 'Not yet decided'), ('accepted', 'Accepted'), ('overridden', 'Overridden')], max_length=10)),
                ('override_reason', models.TextField(blank=True, max_length=2000, verbose_name='reason for overriding')),
                ('updated_at', models.DateTimeField(null=True)),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='assessment.assessment')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('assessment', 'question'), name='one_response')],
            },
        ),
        migrations.CreateModel(
            name='StoryAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('toolkit', models.CharField(max_length=40)),
                ('sub_outcome', models.CharField(max_length=10)),
                ('question', models.PositiveSmallIntegerField()),
                ('answer', models.TextField(blank=True, max_length=5000)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('updated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('toolkit', 'sub_outcome', 'question'), name='one_story_answer')],
            },
        ),
    ]
