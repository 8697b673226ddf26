#!/usr/bin/env python3
"""Seconds-long check of deploy/container/ (CTest containerfile_lint, label unit).

The images themselves are built by deploy/container/build.sh (`./gongkai images`,
minutes); this keeps the files honest in every ./gongkai test:
  - every process has an image: each services/<name>/ with a service.env and the
    gateway is a `FROM scratch AS <name>` stage whose ENTRYPOINT is its binary, and
    deploy/container/images.list (what build.sh builds and rootfs.sh lays out) names
    exactly those images;
  - every executable target in services/ and gateway/ (add_executable) is built by the
    build stage and put into some image, except the dev-only benches (*-bench) and demo
    loaders (*-demo);
  - every runtime stage is FROM scratch (no shell, no package manager), runs nothing
    (no RUN), copies only its own /rootfs/<name>/ from the build stage and sets a
    numeric non-root USER 65532:65532;
  - the build stage compiles with the project's CMake build, -j from JOBS (build.sh: 2);
  - tests/containers/run.sh starts the containers --read-only, non-root, capabilities
    dropped;
  - the images k8s/base names are images built here (gongkai/<name>:<tag>).
Usage: containerfile_lint.py REPO_ROOT
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
problems = []


def problem(text):
    problems.append(text)


containerfile = (root / "deploy/container/Containerfile").read_text()
build_sh = (root / "deploy/container/build.sh").read_text()
run_sh = (root / "tests/containers/run.sh").read_text()
# deploy/container/images.list: "IMAGE BINARY..." per line.
image_list = {}
for line in (root / "deploy/container/images.list").read_text().splitlines():
    if line.strip() and not line.startswith("#"):
        words = line.split()
        image_list[words[0]] = words[1:]

# Stages: FROM <base> AS <name>, with the instructions up to the next FROM.
stages = {}
current = None
logical = re.sub(r"\\\n", " ", containerfile)
for line in logical.splitlines():
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        continue
    match = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)", stripped, re.I)
    if match:
        current = match.group(2)
        stages[current] = {"base": match.group(1), "lines": []}
        continue
    if current:
        stages[current]["lines"].append(stripped)

services = sorted(p.parent.name for p in (root / "services").glob("*/service.env"))
processes = services + ["gateway"]
runtime_stages = sorted(name for name in stages if name != "build")

if "build" not in stages:
    problem("Containerfile: no `build` stage")
for name in processes:
    if name not in stages:
        problem(f"Containerfile: no image stage for {name} (FROM scratch AS {name})")
for name in runtime_stages:
    stage = stages[name]
    text = "\n".join(stage["lines"])
    if stage["base"] != "scratch":
        problem(f"stage {name}: runtime images are FROM scratch, not {stage['base']}")
    if any(l.upper().startswith("RUN") for l in stage["lines"]):
        problem(f"stage {name}: RUN in a runtime stage (it has no shell)")
    users = [l.split()[1] for l in stage["lines"] if l.upper().startswith("USER")]
    if users != ["65532:65532"]:
        problem(f"stage {name}: USER must be exactly 65532:65532 (got {users})")
    copies = [l for l in stage["lines"] if l.upper().startswith("COPY")]
    if copies != [f"COPY --from=build /rootfs/{name}/ /"]:
        problem(f"stage {name}: must copy only /rootfs/{name}/ from build (got {copies})")
    if f'ENTRYPOINT ["/usr/local/bin/gongkai-{name}"]' not in text:
        problem(f"stage {name}: ENTRYPOINT is not /usr/local/bin/gongkai-{name}")
    if f"/gongkai-{name}" not in " ".join(image_list.get(name, [])):
        problem(f"images.list: image {name} does not hold gongkai-{name}")

build_text = "\n".join(stages.get("build", {}).get("lines", []))
if "cmake -S . -B build -DCMAKE_BUILD_TYPE=Release" not in build_text:
    problem("build stage: not the project's CMake build (cmake -S . -B build ... Release)")
if '-j"${JOBS}"' not in build_text or "ARG JOBS=2" not in build_text:
    problem("build stage: the compile must use -j from JOBS (default 2)")

# Executables: every add_executable in services/ and gateway/ is built and shipped.
executables = set()
for cmake in list((root / "services").glob("*/CMakeLists.txt")) + [root / "gateway/CMakeLists.txt"]:
    executables |= set(re.findall(r"add_executable\(\s*(gongkai-[a-z0-9-]+)", cmake.read_text()))
shipped = {path.rsplit("/", 1)[-1] for paths in image_list.values() for path in paths}
if "rootfs.sh build /rootfs deploy/container/images.list" not in build_text:
    problem("build stage: /rootfs is not laid out by rootfs.sh from images.list")
targets_line = re.search(r"cmake --build build[^\n]*--target([^&\n]*)", build_text)
targets = set(targets_line.group(1).split()) if targets_line else set()
for exe in sorted(executables):
    if exe.endswith("-bench") or exe.endswith("-demo"):
        continue
    if exe not in targets:
        problem(f"build stage: {exe} is not among the cmake --build targets")
    if exe not in shipped:
        problem(f"build stage: {exe} is in no image (deploy/container/images.list)")
for exe in ("gongkai-healthcheck", "gongkai-api-key"):
    if exe not in shipped:
        problem(f"build stage: the tool {exe} is in no image")

if sorted(image_list) != runtime_stages:
    problem(f"images.list {sorted(image_list)} != Containerfile runtime stages {runtime_stages}")
if "deploy/container/images.list" not in build_sh:
    problem("build.sh does not build the images of images.list")

for flag in ("--read-only", "--user 65532:65532", "--cap-drop ALL",
             "--security-opt no-new-privileges"):
    if flag not in run_sh:
        problem(f"tests/containers/run.sh: containers are not started with {flag}")

for manifest in (root / "k8s/base").rglob("*.yaml"):
    for image in re.findall(r"image:\s*(\S+)", manifest.read_text()):
        m = re.fullmatch(r"gongkai/([a-z-]+):\S+", image)
        if not m or m.group(1) not in runtime_stages:
            problem(f"{manifest.relative_to(root)}: image {image} is not built by deploy/container")

for p in problems:
    print("containerfile_lint:", p)
print(f"containerfile_lint: {len(runtime_stages)} images ({', '.join(runtime_stages)}), "
      f"{len(executables)} executables checked, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
