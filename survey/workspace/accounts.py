"""Sign-up by email link, a login limited per account and address, a limited password reset.

Django does not throttle logins. We count failures in the shared cache (survey/plumbing/throttle.py,
the same counters that limit link guessing and shared links) rather than add django-axes:
axes would bring three tables, a middleware, an authentication backend and its own idea of
the client's address, which would have to agree with `client_address`; the rule we need is
two counters. Wrong passwords count per (account, address), so a stranger elsewhere cannot
lock an owner out, and per address over all accounts, so one address cannot try many.

Sign-up and password reset answer the same whether or not an account exists: sign-up asks
for the email only and mails a link to finish (or, to an existing account, a note saying
so); the reset page always says "if an account uses that address".
"""

from allauth.account.utils import perform_login
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_tasks import task

from survey.identity.sso import enforced_for_address
from survey.plumbing.throttle import (
    LOGIN_ADDRESS_FAILURES,
    LOGIN_FAILURES,
    PASSWORD_RESET_EMAILS,
    PASSWORD_RESETS,
    SIGNUP_EMAILS,
    SIGNUPS,
    client_address,
)
from survey.writes.emails import product_sender
from survey.writes.tasks import retry_later, send_each, send_password_reset

SIGNUP_SALT = "survey.accounts.signup"
SIGNUP_LINK_DAYS = 2


class SignUpEmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=150)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class NameField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Your name"))
        kwargs.setdefault(
            "help_text",
            _("As colleagues know you, e.g. Lan Nguyen: the e-mails you send carry it."),
        )
        super().__init__(
            max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}), **kwargs
        )


class FinishSignUpForm(forms.Form):
    """The name, and the password twice, checked by Django's validators against the new account."""

    name = NameField()
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = get_user_model()(username=email, email=email)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct email and password. The password is case-sensitive."
        ),
        "throttled": _(
            "Too many wrong passwords for this account. Wait 15 minutes and try again, "
            "or reset your password."
        ),
        "address_throttled": _(
            "Too many wrong passwords from your connection. Wait 15 minutes and try again."
        ),
        "sso_required": _(
            "%(company)s requires its leaders to sign in through the company's own sign-in "
            "(single sign-on). Passwords are not accepted for this address."
        ),
    }
    # The address refused because its company requires single sign-on (the page offers it).
    sso_required_email = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")

    def clean(self):
        account = (self.cleaned_data.get("username") or "").strip().lower()
        self.cleaned_data["username"] = account
        address = client_address(self.request) if self.request else ""
        pair = f"{account}|{address}"
        if LOGIN_FAILURES.exceeded(pair):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        if LOGIN_ADDRESS_FAILURES.exceeded(address):
            raise forms.ValidationError(
                self.error_messages["address_throttled"], code="address_throttled"
            )
        # Refused before the password is checked: the answer says nothing about the password.
        enforced = enforced_for_address(account)
        if enforced is not None:
            self.sso_required_email = account
            raise forms.ValidationError(
                self.error_messages["sso_required"],
                code="sso_required",
                params={"company": enforced.company.name},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            LOGIN_FAILURES.hit(pair)
            LOGIN_ADDRESS_FAILURES.hit(address)
            raise
        LOGIN_FAILURES.reset(pair)
        return cleaned


class LoginView(auth_views.LoginView):
    """Django's login page and form; the sign-in itself is allauth's, so its stages run: a
    leader with a second factor is asked for it (allauth.mfa) before the session is theirs,
    exactly as after a single sign-on."""

    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        return perform_login(self.request, form.get_user(), redirect_url=self.get_success_url())


class ThrottledPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        if PASSWORD_RESETS.exceeded(client_address(self.request)):
            raise forms.ValidationError(
                _("Too many requests from your connection. Wait an hour and try again.")
            )
        return super().clean()

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Queued for the worker, which makes the link (HTML and text, in this language):
        the page answers as fast whether or not an account uses the address."""
        # Nothing of this request needs committing first: queued straight away.
        send_password_reset.enqueue(
            user_id=context["user"].pk,
            domain=context["domain"],
            protocol=context["protocol"],
            language=get_language(),
        )


class PasswordResetView(auth_views.PasswordResetView):
    """At most a few links per address and per email an hour; the page never says whether
    the email has an account, and it says the same when a link was held back."""

    form_class = ThrottledPasswordResetForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def form_valid(self, form):
        PASSWORD_RESETS.hit(client_address(self.request))
        if PASSWORD_RESET_EMAILS.hit(form.cleaned_data["email"].lower()) > (
            PASSWORD_RESET_EMAILS.max_hits
        ):
            return redirect(self.get_success_url())
        return super().form_valid(form)


def safe_next(request: HttpRequest, target: str | None = None) -> str | None:
    target = target or request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def send_signup_email(request: HttpRequest, email: str, next_url: str | None) -> None:
    """Queued for the worker (send_signup), so the page answers as fast either way;
    nothing of this request needs committing first."""
    send_signup.enqueue(
        email=email,
        next_url=next_url or "",
        base_url=request.build_absolute_uri("/").rstrip("/"),
        language=get_language(),
    )


@task()
def send_signup(
    *, email: str, next_url: str, base_url: str, language: str, attempt: int = 1
) -> bool:
    """A link to finish signing up, or, for an address that has an account, a note saying so
    with links to log in and to reset the password. The page shown is the same either way.
    The link is signed here, so it never waits in the queue (a retry signs a new one).
    Retried after a pause when the mail server is down, like every e-mail."""
    User = get_user_model()
    context: dict[str, object]
    if User.objects.filter(username__iexact=email).exists():
        template = "registration/signup_exists_email"
        context = {
            "login_url": base_url + reverse("login"),
            "reset_url": base_url + reverse("password_reset"),
        }
    else:
        template = "registration/signup_email"
        token = signing.dumps({"email": email, "next": next_url}, salt=SIGNUP_SALT)
        context = {
            "link": base_url + reverse("signup_finish", args=[token]),
            "days": SIGNUP_LINK_DAYS,
        }
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, product_sender(), to=[email])
    message.attach_alternative(html, "text/html")
    sent, _ = send_each([(email, message)])
    if not sent:
        retry_later(
            send_signup,
            attempt,
            email=email,
            next_url=next_url,
            base_url=base_url,
            language=language,
        )
    return bool(sent)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Step one: the email. Whatever it is, the next page says to check the inbox."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpEmailForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    next_url = safe_next(request)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if SIGNUPS.exceeded(address):
            form.add_error(
                None, _("Too many sign-ups from your connection. Wait an hour and try again.")
            )
        else:
            SIGNUPS.hit(address)
            email = form.cleaned_data["email"]
            if SIGNUP_EMAILS.hit(email) <= SIGNUP_EMAILS.max_hits:
                send_signup_email(request, email, next_url)
            return redirect("signup_sent")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html", {"days": SIGNUP_LINK_DAYS})


@require_http_methods(["GET", "POST"])
def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    """Step two, from the emailed link: choose a password; the account is created and the
    person is logged in, then goes on where they were headed (e.g. an invitation)."""
    if request.user.is_authenticated:
        return redirect("home")
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return render(request, "registration/signup_finish.html", {"invalid": True})
    email = data["email"]
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists():
        return render(request, "registration/signup_finish.html", {"exists": True})
    form = FinishSignUpForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        user = form.user
        user.first_name = form.cleaned_data["name"]
        user.set_password(form.cleaned_data["password1"])
        user.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(safe_next(request, data.get("next")) or "home")
    return render(request, "registration/signup_finish.html", {"form": form, "email": email})
