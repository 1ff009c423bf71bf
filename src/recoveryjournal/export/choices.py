"""What a person can choose to export: kinds of record and groups of fields.

Plain data in a module of its own: the command line lists these in its help,
and building that help must not import the export machinery.
"""

# What "share with the group" picks when the person names no kind.
SHARING_KINDS = ("entry", "exercise")
# Kinds a person may choose to share or export (drafts and settings are private
# working state; the full JSON export carries them anyway).
SHAREABLE_KINDS = ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting")

# Friendly names for groups of fields someone may want to leave out.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "places": ("place",),
    "people": ("people",),
    "amounts": ("amount", "unit", "money"),
    "notes": ("note", "trigger_note", "thought"),
    "triggers": ("trigger", "trigger_note", "thought"),
    "feelings": ("feelings",),
    "coping": ("coping",),
    "tags": ("tags",),
    "mood": ("mood",),
    "addictions": ("addiction",),
    "groups": ("group",),
    "minutes": ("minutes",),
    "intensity": ("intensity", "intensity_after"),
    "answers": ("answers",),
}
