"""The source plugin's entry point (PulumiPlugin.yaml): the Python language host runs this file with the
engine's address as its argument, in the plugin's virtual environment where requirements.txt installed
this package; it is the same program as the console script ``pulumi-resource-alicloud-cdn-refresh``."""

from __future__ import annotations

from alicloud_cdn_refresh.plugin import main

if __name__ == "__main__":
    main()
