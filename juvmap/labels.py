"""Translatable labels of the coded values of an incident table (one place for all views).

Use ``value_label("place", "school")`` to get the label in the UI language; unknown values
are returned as they are.
"""

from __future__ import annotations

from juvmap.i18n import N_, _

CATEGORY_LABELS: dict[str, str] = {
    "property": N_("Property"),
    "person": N_("Against the person"),
    "sexual": N_("Sexual"),
    "public_order_safety": N_("Public order and safety"),
    "drugs": N_("Drugs"),
    "road_traffic": N_("Road traffic"),
    "against_authority": N_("Against authority"),
    "other": N_("Other"),
}
GRAVITY_LABELS: dict[str, str] = {
    "minor": N_("Minor gravity"),
    "medium": N_("Medium gravity"),
    "grave": N_("Grave"),
    "especially_grave": N_("Especially grave"),
}
PLACE_LABELS: dict[str, str] = {
    "street": N_("Street"),
    "yard": N_("Yard"),
    "school": N_("School"),
    "shop": N_("Shop"),
    "home": N_("Home"),
    "transport": N_("Transport"),
    "entertainment": N_("Entertainment venue"),
    "other": N_("Other place"),
}
SEX_LABELS: dict[str, str] = {"M": N_("Boys"), "F": N_("Girls")}
FLAG_LABELS: dict[str, str] = {
    "pupil": N_("Pupil or student"),
    "repeat": N_("Repeat offence"),
    "group": N_("Committed in a group"),
    "intoxicated": N_("Intoxicated"),
}
WEEKDAY_LABELS: tuple[str, ...] = (
    N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
)

YES_NO_LABELS: dict[str, str] = {"0": N_("No"), "1": N_("Yes")}

VALUE_LABELS: dict[str, dict[str, str]] = {
    "category": CATEGORY_LABELS,
    "gravity": GRAVITY_LABELS,
    "place": PLACE_LABELS,
    "sex": SEX_LABELS,
    **{flag: YES_NO_LABELS for flag in FLAG_LABELS},
}


def value_label(variable: str, value: object) -> str:
    """The label of ``value`` of ``variable`` in the UI language."""
    labels = VALUE_LABELS.get(variable, {})
    text = labels.get(str(value))
    return _(text) if text else str(value)


def data_source_label(attrs: dict) -> str:
    """The credit line of a data layer in the UI language (``attrs`` of the layer's frame).

    Layers made by juvmap keep the untranslated text in ``source_msgid``, so the line
    follows the language chosen later; a user's file keeps its own name.
    """
    msgid = attrs.get("source_msgid")
    if msgid:
        return _(msgid)
    return str(attrs.get("source", ""))
