"""A follow-up's outcome becomes a code on the timeline entry, no longer words in its text.

Until now the follow-up entry's text began with the outcome in the recorder's language
("unsatisfied. ..." or "不满意. ..."), and the reopening it caused carried the resident's comment
or, without one, the note "The resident was not satisfied." (or "居民不满意。"). Those words move
into the code; the text keeps only the recorder's own comment.
"""

from django.db import migrations, models

SATISFACTION_CHOICES = [
    ("satisfied", "satisfied"),
    ("basically_satisfied", "basically satisfied"),
    ("unsatisfied", "unsatisfied"),
]
# The words each outcome was stored as, in English and in Chinese.
OUTCOME_WORDS = {
    "satisfied": ("satisfied", "满意"),
    "basically_satisfied": ("basically satisfied", "基本满意"),
    "unsatisfied": ("unsatisfied", "不满意"),
}
NOT_SATISFIED_NOTES = ("The resident was not satisfied.", "居民不满意。")


def split_outcome(text: str) -> tuple[str, str] | None:
    """("unsatisfied", "the comment") for "unsatisfied. the comment"; None if no outcome leads."""
    for code, words in OUTCOME_WORDS.items():
        for word in words:
            for stop in (".", "。"):
                if text == word + stop or text.startswith(f"{word}{stop} "):
                    return code, text[len(word) + 1 :].strip()
    return None


def outcome_to_code(apps, schema_editor) -> None:
    CaseUpdate = apps.get_model("governance", "CaseUpdate")
    FollowUp = apps.get_model("governance", "FollowUp")
    changed = []
    for update in CaseUpdate.objects.filter(kind="follow_up", satisfaction=""):
        split = split_outcome(update.text.strip())
        if split is None:
            # Words of neither language: the follow-up recorded at the same moment knows.
            follow_up = FollowUp.objects.filter(
                case_id=update.case_id, created_at=update.created_at
            ).first()
            if follow_up is None:
                continue
            split = (follow_up.satisfaction, follow_up.comment)
        update.satisfaction, update.text = split
        changed.append(update)
    # A reopening an unsatisfied follow-up caused: recorded at the same moment as that
    # follow-up; its note was the resident's comment, or the stock words when there was none.
    unsatisfied = set(
        FollowUp.objects.filter(satisfaction="unsatisfied").values_list("case_id", "created_at")
    )
    for update in CaseUpdate.objects.filter(
        kind="transition", to_status="reopened", satisfaction=""
    ):
        if update.text in NOT_SATISFIED_NOTES:
            update.satisfaction, update.text = "unsatisfied", ""
        elif (update.case_id, update.created_at) in unsatisfied:
            update.satisfaction = "unsatisfied"
        else:
            continue  # reopened by hand, with a note of its own
        changed.append(update)
    CaseUpdate.objects.bulk_update(changed, ["satisfaction", "text"], batch_size=500)


def code_to_outcome(apps, schema_editor) -> None:
    """Back to words (in English): the field that holds the code goes away after this."""
    CaseUpdate = apps.get_model("governance", "CaseUpdate")
    changed = []
    for update in CaseUpdate.objects.exclude(satisfaction=""):
        if update.kind == "follow_up":
            words = OUTCOME_WORDS[update.satisfaction][0]
            update.text = f"{words}. {update.text}".strip()
        elif not update.text:
            update.text = NOT_SATISFIED_NOTES[0]
        changed.append(update)
    CaseUpdate.objects.bulk_update(changed, ["text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0011_wish_created_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseupdate",
            name="satisfaction",
            field=models.CharField(
                blank=True,
                choices=SATISFACTION_CHOICES,
                help_text="For a follow-up, and for the reopening an unsatisfied follow-up causes.",
                max_length=20,
                verbose_name="follow-up outcome",
            ),
        ),
        migrations.AddField(
            model_name="historicalcaseupdate",
            name="satisfaction",
            field=models.CharField(
                blank=True,
                choices=SATISFACTION_CHOICES,
                help_text="For a follow-up, and for the reopening an unsatisfied follow-up causes.",
                max_length=20,
                verbose_name="follow-up outcome",
            ),
        ),
        migrations.RunPython(outcome_to_code, code_to_outcome),
    ]
