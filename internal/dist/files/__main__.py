"""python -m asksim ARGS runs the asksim binary with ARGS."""

import os
import sys

from asksim import find_asksim_bin


def main():
    path = find_asksim_bin()
    args = [path] + sys.argv[1:]
    if sys.platform == "win32":
        # Windows has no exec: run the binary and pass its status on.
        import subprocess

        sys.exit(subprocess.run(args).returncode)
    os.execv(path, args)


if __name__ == "__main__":
    main()
