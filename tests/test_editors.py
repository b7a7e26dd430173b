"""The editor setups in docs/authoring.md work as written.

The Neovim snippet is run in a real Neovim, headless, on a story with a
mistake, and must show the server's diagnostic. Debian 12 ships Neovim 0.7,
where the snippet takes its 0.7-to-0.10 branch; CI installs it and sets
SECOND_CHANCE_REQUIRE_NEOVIM, so a missing Neovim fails there instead of
skipping. Helix is not packaged for Debian 12: its block is checked to read as
the configuration the guide describes, and VS Code's as valid settings.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
SECTION = GUIDE.split("### Live errors and completion in your editor")[1].split("## 3.")[0]


def block(editor: str, language: str) -> str:
    """The first code block of `language` in the guide's paragraph on `editor`."""
    part = SECTION.split(f"**{editor}**")[1]
    return re.search(rf"```{language}\n(.*?)\n```", part, re.S).group(1)


CHECK = """\
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.STORY))
local ok = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  io.stdout:write(string.format("%d:%d %s %s\\n", d.lnum + 1, d.col + 1, d.code or "", d.message))
end
io.stdout:write(ok and "arrived\\n" or "none\\n")
vim.cmd("qa!")
"""


def test_the_neovim_snippet_shows_the_servers_diagnostics(tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        if os.environ.get("SECOND_CHANCE_REQUIRE_NEOVIM"):
            pytest.fail("Neovim is required here (SECOND_CHANCE_REQUIRE_NEOVIM) but `nvim` is not on PATH")
        pytest.skip("Neovim is not installed (CI installs Debian's and requires it)")
    snippet = block("Neovim", "lua")
    assert 'local cmd = { "second-chance", "lsp" }' in snippet
    server = ", ".join(json.dumps(part) for part in (sys.executable, "-m", "game", "lsp"))
    (tmp_path / "init.lua").write_text(snippet.replace('{ "second-chance", "lsp" }', f"{{ {server} }}"),
                                       encoding="utf-8")
    (tmp_path / "check.lua").write_text(CHECK, encoding="utf-8")
    story = tmp_path / "story.toml"
    story.write_text((ROOT / "tests" / "stories" / "the-feud.toml").read_text(encoding="utf-8")
                     .replace('goto = "hallway"', 'goto = "halway"'), encoding="utf-8")
    done = subprocess.run([nvim, "--headless", "--clean", "-u", str(tmp_path / "init.lua"), "-c",
                           f"luafile {tmp_path / 'check.lua'}"], cwd=ROOT, capture_output=True, text=True, timeout=90,
                          env={**os.environ, "STORY": str(story)})
    out = done.stdout + done.stderr
    assert "arrived" in out, out
    line = story.read_text(encoding="utf-8").splitlines().index('goto = "halway"') + 1
    assert f"{line}:1 SC030 `goto` names `halway`, which is no scene or ending (did you mean `hallway`?)" in out, out


def test_the_helix_block_adds_the_server_beside_taplo():
    config = tomli.loads(block("Helix", "toml"))
    assert config["language-server"]["second-chance"] == {"command": "second-chance", "args": ["lsp"]}
    [toml] = config["language"]
    assert toml["name"] == "toml" and toml["language-servers"] == ["taplo", "second-chance"]


def test_the_vs_code_settings_are_valid_json():
    settings = json.loads(block("VS Code", "json"))
    assert settings["glspc.server.command"] == "second-chance" and settings["glspc.server.commandArguments"] == ["lsp"]
