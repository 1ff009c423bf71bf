"""What a person can choose to export: kinds of record and groups of fields.

Plain data in a module of its own: the command line lists these in its help,
and building that help must not import the export machinery.
"""

# What "share with the group" picks when the person names no kind.
SHARING_KINDS = ("entry", "exercise")
# Kinds a person may choose to share or export (drafts and settings are private
# working state; the full JSON export carries them anyway).
SHAREABLE_KINDS = ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting")

# Names of what is not a record field but can be left out all the same: the whole
# safety plan, phone-like numbers in any text, and exercise answers whose step
# declares `carries` (see export/privacy.py).
PSEUDO_FIELDS = ("safety_plan", "phone_numbers", "carries_names", "carries_phones",
                 "carries_places", "carries_amounts")

# Friendly names for groups of fields someone may want to leave out. The first
# five are the private groups a group share leaves out unless ticked.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "safety": ("safety_plan",),
    "names": ("people", "carries_names"),
    "phones": ("phone_numbers", "carries_phones"),
    "places": ("place", "carries_places"),
    "amounts": ("amount", "unit", "money", "carries_amounts"),
    "people": ("people", "carries_names"),
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
