"""asksim, the Alexa skill simulator and test harness.

The wheel installs the asksim binary as a script of the environment (asksim,
or asksim.exe on Windows), so that it is on PATH wherever the environment's
scripts are. This package only finds that binary, for callers that cannot
rely on PATH: ``python -m asksim ...`` runs it, and find_asksim_bin() names it
for subprocess calls.
"""

import os
import sys
import sysconfig

__version__ = {{json .Version}}
__all__ = ["find_asksim_bin"]


def _user_scheme():
    if sys.version_info >= (3, 10):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"


def find_asksim_bin():
    """Return the path of the asksim binary installed with this package.

    Raises FileNotFoundError naming the places it looked.
    """
    exe = "asksim" + (sysconfig.get_config_var("EXE") or "")
    candidates = [
        # A virtual environment, pipx, or a system-wide install.
        os.path.join(sysconfig.get_path("scripts"), exe),
        # pip install --user.
        os.path.join(sysconfig.get_path("scripts", scheme=_user_scheme()), exe),
        # pip install --target DIR puts scripts in DIR/bin, beside this package.
        os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin", exe),
    ]
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("the asksim binary is not installed; looked in " + ", ".join(candidates))
