"""Form base classes and fields shared by the back office: one CSRF token for every form.

Flask-Admin's `SecureForm` keeps its own session token, which the app-wide Flask-WTF
`CSRFProtect` would reject (both post a field named csrf_token). `CsrfForm` is `SecureForm` with
Flask-WTF's token instead, so each form carries one token that both checks accept. Its field
errors read Chinese first, then English (WTForms' own catalog gives the Chinese).
"""
from flask import current_app
from flask_babel import gettext
from flask_admin.babel import Translations as FlaskAdminFormTranslations
from flask_admin.form import SecureForm
from flask_wtf.csrf import _FlaskFormCSRF
from flask_admin.form.widgets import DatePickerWidget
from wtforms import DateField, HiddenField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, ValidationError
from markupsafe import Markup
from wtforms.widgets import CheckboxInput, html_params

from admin.ids import as_id
from admin.i18n import bilingual, both, current_language, localized
from core.records.bounds import OutOfBounds
from core.rules.dates import ACCEPTED_EN, ACCEPTED_ZH, DateFormatError, parse_date

FLASK_ADMIN_FORM_MESSAGES = FlaskAdminFormTranslations()


class BilingualFormMessages:
    """WTForms' own messages (from its catalog), Chinese first then English in Chinese mode."""

    def gettext(self, string):
        return self._both(FLASK_ADMIN_FORM_MESSAGES.gettext(string), string)

    def ngettext(self, singular, plural, n):
        return self._both(FLASK_ADMIN_FORM_MESSAGES.ngettext(singular, plural, n), singular if n == 1 else plural)

    @staticmethod
    def _both(translated, english):
        if current_language() == "zh" and translated != english:
            return f"{translated} ({english})"
        return translated


class CsrfForm(SecureForm):
    class Meta:
        csrf_class = _FlaskFormCSRF
        csrf_field_name = "csrf_token"
        _translations = BilingualFormMessages()

        @property
        def csrf(self):
            return current_app.config.get("WTF_CSRF_ENABLED", True)

        @property
        def csrf_secret(self):
            return current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key

        @property
        def csrf_time_limit(self):
            return current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)


class LoginForm(CsrfForm):
    username = StringField(validators=[InputRequired(), Length(max=64)])
    password = PasswordField(validators=[InputRequired(), Length(max=1024)])


class VersionField(HiddenField):
    """The version of the record as the user READ it; the save is refused if it changed since."""

    def process_formdata(self, valuelist):
        self.data = as_id((valuelist[0] if valuelist else "") or "")

    def _value(self):
        return "" if self.data is None else str(self.data)

    def populate_obj(self, obj, name):
        if self.data is not None:  # a new row keeps the model's default
            setattr(obj, name, self.data)


class WithinBounds:
    """A form field held to its model column's bounds (core.records.bounds), as the API and the import are."""

    def __init__(self, bounds):
        self.bounds = bounds

    def __call__(self, form, field):
        if field.data is None:
            return  # empty: the field's required / optional check decides
        try:
            self.bounds.check(field.data)
        except OutOfBounds as exc:  # the reason as core.records.bounds words it, in the page's language
            raise ValidationError(localized(exc.zh, exc.en)) from None


def date_refusal():
    """Why a typed date was refused, naming the ways of writing one that are accepted."""
    return bilingual("Not a valid date: write it as %(formats)s.", formats=both(ACCEPTED_ZH, ACCEPTED_EN))


class WrittenDateField(DateField):
    """A date typed as people write it (core.rules.dates: 2025年3月1日, 2025/3/1, 2025-3-1 …), with
    Flask-Admin's date picker on the same text box."""

    widget = DatePickerWidget()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_date(" ".join(valuelist))
        except DateFormatError:
            self.data = None
            raise ValueError(date_refusal()) from None


class VocabSelectField(SelectField):
    """One code of a controlled vocabulary, shown with its label in the current language."""

    def __init__(self, label=None, validators=None, vocab=None, allow_blank=False, **kwargs):
        kwargs.pop("filters", None)
        kwargs.pop("coerce", None)
        super().__init__(label, validators, **kwargs)
        self.vocab = vocab
        self.allow_blank = allow_blank

    @property
    def choices(self):
        choices = self.vocab.choices(current_language())
        return ([("", "—")] + choices) if self.allow_blank else choices

    @choices.setter
    def choices(self, value):  # SelectField.__init__ assigns; the vocabulary decides
        pass


class CheckboxListWidget:
    """Each choice a Bootstrap form-check, side by side and wrapping: the group is as tall as its
    choices. (Drawn as a <ul> with Flask-Admin's one-line `form-control` box, a long list spilled
    over the fields below it, and a click meant for one of them ticked a box instead, or the
    reverse — issue 11 item 2.)"""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        classes = [c for c in kwargs.pop("class", "").split() if c != "form-control"]
        kwargs["class"] = " ".join(["checkbox-list"] + classes)
        boxes = "".join(
            f'<div class="form-check form-check-inline">{option(class_="form-check-input")}'
            f'{option.label(class_="form-check-label")}</div>'
            for option in field
        )
        return Markup(f"<div {html_params(**kwargs)}>{boxes}</div>")


class VocabCheckboxField(SelectMultipleField):
    """A JSON list of vocabulary codes, edited as a group of checkboxes."""

    widget = CheckboxListWidget()
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, vocab=None, **kwargs):
        kwargs.pop("filters", None)
        default = kwargs.pop("default", None)
        super().__init__(label, validators, default=default if default is not None else list, **kwargs)
        self.vocab = vocab

    @property
    def choices(self):
        return self.vocab.choices(current_language())

    @choices.setter
    def choices(self, value):
        pass

    def process_formdata(self, valuelist):
        # Keep the vocabulary's order, whatever order the browser sent.
        chosen = set(valuelist)
        self.data = [code for code in self.vocab.codes() if code in chosen] + sorted(chosen - set(self.vocab.codes()))

    def pre_validate(self, form):
        unknown = [code for code in (self.data or []) if code not in self.vocab]
        if unknown:
            raise ValidationError(bilingual("Not one of the choices: %(codes)s", codes=", ".join(unknown)))

    def populate_obj(self, obj, name):
        setattr(obj, name, list(self.data or []))


def form_error_lines(form, row_of=""):
    """Each field error of `form` as "label: message", an inline row's fields named with their row
    ("Site, row 2 · Name: ..."): hidden fields and inline rows show no error of their own on the page."""
    lines = []
    for field in form:
        if not field.errors:
            continue
        entries = getattr(field, "entries", None)
        if entries is not None:  # a list of inline rows
            for number, entry in enumerate(entries, start=1):
                row = gettext("%(list)s, row %(row)s", list=field.label.text, row=number)
                inner = getattr(entry, "form", None)
                if inner is not None:
                    lines += form_error_lines(inner, row_of=row)
                else:
                    lines += [f"{row}: {message}" for message in entry.errors]
            continue
        label = f"{row_of} · {field.label.text}" if row_of else field.label.text
        lines += [f"{label}: {message}" for message in field.errors]
    return lines

