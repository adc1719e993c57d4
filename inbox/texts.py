"""The sentence each kind of notification reads as, in the language active when it is shown;
the app that tells registers it (``inbox.registry.register_text``).

Parameters are the case number, area, organisation, wish, speech, forum and event titles and
dates: what staff see on the portal anyway, never a resident's name, phone or address."""

from inbox import registry


def render(kind: str, params: dict) -> str:
    text = registry.texts.get(kind)
    if text is None:
        return kind
    values = {}
    for name, value in params.items():
        choices = text.choices.get(name)
        values[name] = str(choices(value).label) if choices and value in choices.values else value
    for name, default in text.defaults.items():
        if not values.get(name):
            values[name] = str(default)
    try:
        return str(text.message) % values
    except (KeyError, ValueError, TypeError):
        return str(text.message)
