"""A local imitation of LinkedIn's sign-in, checkpoint and settings pages.

Build machines cannot reach linkedin.com; the sandbox answers the same URLs with
the same markup, cookies and background API, and keeps its own server-side truth
so tests can check what a browser session really changed.
"""

from optout.sandbox.details import PageDetails
from optout.sandbox.faults import PAGE_VARIANTS, Faults
from optout.sandbox.forms import PageForm
from optout.sandbox.i18n import LANGUAGES
from optout.sandbox.server import Sandbox
from optout.sandbox.state import SandboxAccount

__all__ = [
    "LANGUAGES",
    "PAGE_VARIANTS",
    "Faults",
    "PageDetails",
    "PageForm",
    "Sandbox",
    "SandboxAccount",
]
