#!/usr/bin/env python3
"""Start-up of the small JDK app with JDK 25's ahead-of-time cache (JEP 483, 514), without and with
meshaware: makes the caches, measures whole processes with the variants alternating, checks that
each run did its job, and returns the numbers and a markdown section for docs/benchmarks.md.

`aot_cache(java25, agent_jar, classes_dir, runs)` is what benchmarks/run.py calls; run alone:
`RUNS=5 python3 benchmarks/aot_cache.py` (after `mvn -B -q -Pbenchmarks -pl benchmarks -am package
-DskipTests`; JAVA25 defaults to the newest JDK 25+ under /usr/lib/jvm)."""
import glob, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = "dev.meshaware.benchmarks.apps.SmallApp"
APP_PACKAGE = "dev/meshaware/benchmarks/apps/"
SECTION = "## Start-up with the JDK's AOT cache (JDK 25, small JDK app)"
BASE = "no cache, no agent"
CACHE_NO_AGENT = "cache, no agent"
AGENT_NO_CACHE = "no cache, meshaware"
CACHE_AGENT = "cache made with meshaware, meshaware"


def _fail(message):
    raise RuntimeError("[benchmarks] AOT cache: " + message)


def _env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("MESHAWARE_", "KUBERNETES_", "OTEL_", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
                                 "JDK_AOT_VM_OPTIONS"))}


def _run(command, cwd):
    """Wall seconds, CPU seconds (the process and its children), peak RSS MiB and output of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_env(), cwd=cwd)
    out = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        _fail("exit status %d of %s:\n%s" % (status, " ".join(command), out[-3000:]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, out


def _pack(classes_dir, jar):
    """The app's classes in a jar: the JVM caches no class of a class-path directory."""
    with zipfile.ZipFile(jar, "w") as out:
        base = os.path.join(classes_dir, APP_PACKAGE)
        for name in sorted(os.listdir(base)):
            if name.endswith(".class"):
                out.write(os.path.join(base, name), APP_PACKAGE + name)


def _forwarded(out):
    found = re.search(r"FORWARDED (\S+)", out)
    return found.group(1) if found else None


def _check(name, out):
    forwarded = _forwarded(out)
    with_agent = name in (AGENT_NO_CACHE, CACHE_AGENT)
    expected = "request-id" in (forwarded or "") if with_agent else forwarded == "none"
    if not expected:
        _fail("%s did not do its job: forwarded %s\n%s" % (name, forwarded, out[-3000:]))
    if "[error]" in out:
        _fail("%s: the JVM reported an error:\n%s" % (name, out[-3000:]))


def _med(values):
    return statistics.median(values)


def _span(values):
    return "%.0f (%.0f-%.0f)" % (_med(values), min(values), max(values))


def aot_cache(java25, agent_jar, classes_dir, runs):
    """Makes an AOT cache of SmallApp without and with the agent, then measures four variants
    (no cache / cache, without / with the agent), alternating, `runs` rounds after 2 warm-up rounds.
    Returns {"samples": {variant: {"wall", "cpu", "rss"}}, "caches": {...}, "section": markdown}."""
    work = tempfile.mkdtemp(prefix="meshaware-aot-")
    try:
        jar = os.path.join(work, "smallapp.jar")
        _pack(classes_dir, jar)
        agent = "-javaagent:" + os.path.abspath(agent_jar)
        app = ["-cp", jar, APP]
        caches = {}
        for label, options in (("without the agent", []), ("with meshaware", [agent])):
            cache = os.path.join(work, "smallapp-%s.aot" % ("agent" if options else "plain"))
            wall, cpu, _, out = _run([java25] + options + ["-XX:AOTCacheOutput=" + cache] + app, work)
            if "AOTCache creation is complete" not in out or not os.path.isfile(cache):
                _fail("no cache made %s:\n%s" % (label, out[-3000:]))
            caches[label] = {"path": cache, "wall_ms": wall * 1000, "cpu_ms": cpu * 1000,
                             "mib": os.path.getsize(cache) / (1024 * 1024),
                             "skipped_cflh": len(re.findall(r"Skipping \S+: From ClassFileLoadHook", out)),
                             "skipped_agent": len(re.findall(r"Skipping dev/meshaware/\S+: Unsupported location", out))}
        plain, made_with_agent = caches["without the agent"]["path"], caches["with meshaware"]["path"]
        # AOTMode=on: a cache the JVM cannot use ends the run with an error instead of being
        # silently ignored, so a cache variant that reports a number did use its cache.
        variants = {
            BASE: [],
            CACHE_NO_AGENT: ["-XX:AOTMode=on", "-XX:AOTCache=" + plain],
            AGENT_NO_CACHE: [agent],
            CACHE_AGENT: ["-XX:AOTMode=on", "-XX:AOTCache=" + made_with_agent, agent],
        }
        for name in (CACHE_NO_AGENT, CACHE_AGENT):  # once, not timed: the JVM's own word
            out = _run([java25] + variants[name] + ["-Xlog:aot"] + app, work)[3]
            if "Using AOT-linked classes: true" not in out:
                _fail("%s: the cache was not used:\n%s" % (name, out[-3000:]))
            _check(name, out)
        samples = {name: {"wall": [], "cpu": [], "rss": []} for name in variants}
        names = list(variants)
        for round_ in range(-2, runs):
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            for name in order:
                wall, cpu, rss, out = _run([java25] + variants[name] + app, work)
                _check(name, out)
                if round_ >= 0:
                    samples[name]["wall"].append(wall * 1000)
                    samples[name]["cpu"].append(cpu * 1000)
                    samples[name]["rss"].append(rss)
        return {"samples": samples, "caches": caches, "section": _section(java25, samples, caches, runs)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _section(java25, samples, caches, runs):
    version = subprocess.run([java25, "-version"], capture_output=True, text=True).stderr.splitlines()
    base_wall, base_cpu = _med(samples[BASE]["wall"]), _med(samples[BASE]["cpu"])
    lines = [SECTION, "",
             "`SmallApp` from a jar (the JVM caches no class of a class-path directory); caches made in one step "
             "(`-XX:AOTCacheOutput`, JEP 514) by a training run of the same app, one without and one with "
             "`-javaagent`; cache variants run with `-XX:AOTMode=on`, so a cache the JVM refused would have "
             "failed the run. Whole process, median (min-max) of %d runs after 2 warm-up rounds, variants "
             "alternating; each run checked (meshaware variants forwarded the inbound `x-request-id`, the others "
             "nothing). Measured %s on %d cores, %s, %s." %
             (runs, time.strftime("%Y-%m-%d"), os.cpu_count(), platform.system() + " " + platform.release(),
              " / ".join(version[:2])), "",
             "| variant | wall ms | CPU ms | peak RSS MiB | wall vs no cache, no agent | CPU vs no cache, no agent |",
             "|---|---|---|---|---|---|"]
    for name, s in samples.items():
        wall, cpu = _med(s["wall"]), _med(s["cpu"])
        lines.append("| %s | %s | %s | %s | %+.0f ms (x%.2f) | %+.0f ms (x%.2f) |" % (
            name, _span(s["wall"]), _span(s["cpu"]), _span(s["rss"]), wall - base_wall, wall / base_wall,
            cpu - base_cpu, cpu / base_cpu))

    def cost(a, b, key):
        return _med(samples[a][key]) - _med(samples[b][key])

    lines += ["",
              "meshaware's cost: %+.0f ms wall, %+.0f ms CPU without a cache; %+.0f ms wall, %+.0f ms CPU with "
              "the caches (meshaware's cache against the plain one). The cache's gain: %+.0f ms wall, %+.0f ms "
              "CPU without the agent; %+.0f ms wall, %+.0f ms CPU with it." % (
                  cost(AGENT_NO_CACHE, BASE, "wall"), cost(AGENT_NO_CACHE, BASE, "cpu"),
                  cost(CACHE_AGENT, CACHE_NO_AGENT, "wall"), cost(CACHE_AGENT, CACHE_NO_AGENT, "cpu"),
                  cost(CACHE_NO_AGENT, BASE, "wall"), cost(CACHE_NO_AGENT, BASE, "cpu"),
                  cost(CACHE_AGENT, AGENT_NO_CACHE, "wall"), cost(CACHE_AGENT, AGENT_NO_CACHE, "cpu")), "",
              "| cache | made in (training + assembly) | size | JDK classes left out as transformed by the agent "
              "| meshaware classes left out (agent jar) |", "|---|---|---|---|---|"]
    for label, c in caches.items():
        lines.append("| %s | %.1f s wall, %.1f s CPU | %.1f MiB | %d | %d |" % (
            label, c["wall_ms"] / 1000, c["cpu_ms"] / 1000, c["mib"], c["skipped_cflh"], c["skipped_agent"]))
    return "\n".join(lines + [""])


def find_java25():
    best, best_major = None, 24
    for home in glob.glob("/usr/lib/jvm/*"):
        try:
            with open(os.path.join(home, "release")) as f:
                major = int(re.search(r'JAVA_VERSION="(\d+)', f.read()).group(1))
        except (OSError, AttributeError, ValueError):
            continue
        if major > best_major and os.access(os.path.join(home, "bin", "java"), os.X_OK):
            best, best_major = os.path.join(home, "bin", "java"), major
    return best


if __name__ == "__main__":
    java25 = os.environ.get("JAVA25") or find_java25()
    if not java25:
        print("[benchmarks] no JDK 25 or newer under /usr/lib/jvm (set JAVA25)", file=sys.stderr)
        sys.exit(1)
    result = aot_cache(java25, os.path.join(ROOT, "agent", "target", "meshaware-agent.jar"),
                       os.path.join(ROOT, "benchmarks", "target", "classes"), int(os.environ.get("RUNS", "5")))
    print(result["section"])
