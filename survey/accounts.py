"""Sign-up, and a login that makes an account wait after too many wrong passwords.

Django does not throttle logins. We count failures per account in the cache (survey/
throttle.py, the same counters that limit link guessing and shared links) rather than add
django-axes: one small mechanism for three limits, no extra tables or middleware.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from survey.throttle import LOGIN_FAILURES


class SignUpForm(UserCreationForm):
    """The e-mail address is the username, so people log in with what they remember."""

    email = forms.EmailField(label=_("Email"), max_length=150)

    class Meta:
        model = get_user_model()
        fields = ("email",)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already an account for this email. Log in or reset your password.")
            )
        return email

    def _post_clean(self) -> None:
        # The password validators compare the password with the username: set it first.
        if self.cleaned_data.get("email"):
            self.instance.username = self.cleaned_data["email"]
        super()._post_clean()


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many wrong passwords for this account. Wait 15 minutes and try again, "
            "or reset your password."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")

    def clean(self):
        account = (self.cleaned_data.get("username") or "").lower()
        if LOGIN_FAILURES.exceeded(account):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            LOGIN_FAILURES.hit(account)
            raise
        LOGIN_FAILURES.reset(account)
        return cleaned


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.email = user.username
        user.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(safe_next(request) or "home")
    return render(request, "registration/signup.html", {"form": form, "next": safe_next(request)})
