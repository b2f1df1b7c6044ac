#!/usr/bin/env python3
"""Runs meshaware's benchmarks side by side with no agent and the OpenTelemetry agent, checks
that every variant did its job, and writes docs/benchmarks.md. Started by benchmarks/run."""
import json, os, platform, re, resource, shutil, signal, socket, statistics, subprocess, sys, threading, time
import urllib.error, urllib.request
import aot_cache as aot_cache_module
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "benchmarks", "target")
JAVA = os.environ.get("JAVA", "java")
RUNS = int(os.environ.get("RUNS", "9"))
CHAIN_SECONDS = int(os.environ.get("CHAIN_SECONDS", "8"))
CHAIN_ROUNDS = int(os.environ.get("CHAIN_ROUNDS", "3"))
KAFKA_RECORDS = int(os.environ.get("KAFKA_RECORDS", "200000"))
KAFKA_WARMUP = int(os.environ.get("KAFKA_WARMUP", "50000"))
KAFKA_ROUNDS = int(os.environ.get("KAFKA_ROUNDS", "5"))
KAFKA_PARTITIONS = int(os.environ.get("KAFKA_PARTITIONS", "4"))
KAFKA_SECTION = "## Kafka throughput"
KAFKA_VARIANTS = {"none": "no agent", "meshaware": "meshaware", "copy": "no agent, the app copies the headers"}
AGENT = os.path.join(ROOT, "agent", "target", "meshaware-agent.jar")
OTEL = os.path.join(TARGET, "agents", "opentelemetry-javaagent.jar")
CLASSES = os.path.join(TARGET, "classes")
with open(os.path.join(TARGET, "classpath.txt")) as f:
    CLASSPATH = CLASSES + os.pathsep + f.read().strip()
# The Kafka benchmark's own libraries (client, broker) stay off the other benchmarks' class path.
with open(os.path.join(TARGET, "kafka-classpath.txt")) as f:
    KAFKA_CLASSPATH = CLASSPATH + os.pathsep + f.read().strip()
# The realistic Spring Boot app is a project of its own (benchmarks/boot-app): its libraries stay
# off the other benchmarks' class path.
BOOT_APP = os.path.join(ROOT, "benchmarks", "boot-app", "target")
BOOT_SECTION = "## Start-up: Spring Boot app of realistic size (web MVC, JPA on H2, validation, Thymeleaf, actuator), time to first 200"
BOOT_PAGE = "/owners?lastName=Dav"
BOOT_NOTICE = "Open until 18:00"
OTEL_OPTIONS = ["-Dotel.propagators=b3multi", "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none"]
VARIANTS = {
    "no agent": [],
    "meshaware": ["-javaagent:" + AGENT],
    "OpenTelemetry": ["-javaagent:" + OTEL] + OTEL_OPTIONS,
}
# What each variant must have forwarded (see Forwarded.describe); a variant that did not do its
# job must not report a good number.
EXPECTED = {"no agent": lambda s: s == "none", "meshaware": lambda s: "request-id" in s,
            "OpenTelemetry": lambda s: "b3" in s}


def clean_env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("MESHAWARE_", "KUBERNETES_", "OTEL_", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"))}


def fail(message):
    print("[benchmarks] FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def run_once(command, env=None):
    """Wall seconds, CPU seconds, peak RSS MiB and stdout of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env or clean_env())
    out = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        fail("exit status %d of %s:\n%s" % (status, " ".join(command), out[-3000:]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, out


def alternating(measure):
    """RUNS rounds of every variant after two warm-up rounds, the order rotating each round;
    measure(name) gives wall seconds, CPU seconds and peak RSS MiB of one process."""
    samples = {name: {"wall": [], "cpu": [], "rss": []} for name in VARIANTS}
    names = list(VARIANTS)
    for round_ in range(-2, RUNS):  # two warm-up rounds, not recorded
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for name in order:
            wall, cpu, rss = measure(name)
            if round_ >= 0:
                samples[name]["wall"].append(wall * 1000)
                samples[name]["cpu"].append(cpu * 1000)
                samples[name]["rss"].append(rss)
    return samples


def startup(app_class, classpath):
    print("[benchmarks] start-up: %s, %d runs per variant" % (app_class.split(".")[-1], RUNS), flush=True)

    def measure(name):
        wall, cpu, rss, out = run_once([JAVA] + VARIANTS[name] + ["-cp", classpath, app_class])
        forwarded = re.search(r"FORWARDED (\S+)", out)
        if not forwarded or not EXPECTED[name](forwarded.group(1)):
            fail("%s did not do its job in %s: forwarded %s" % (name, app_class, forwarded and forwarded.group(1)))
        return wall, cpu, rss

    return alternating(measure)


def forwarded_constants():
    """The inbound trace headers' values, read from Forwarded.java so that there is one copy."""
    path = os.path.join(ROOT, "benchmarks", "src", "main", "java", "dev", "meshaware", "benchmarks", "apps",
                        "Forwarded.java")
    with open(path) as f:
        return dict(re.findall(r'static final String (\w+) = "([^"]*)";', f.read()))


def describe(headers, constants):
    """What reached downstream, in Forwarded.describe's words."""
    seen = []
    if headers.get("x-request-id") == constants["REQUEST_ID"]:
        seen.append("request-id")
    if headers.get("x-b3-traceid") is not None:
        seen.append("b3")
        if headers.get("x-b3-traceid") == constants["TRACE_ID"]:
            seen.append("same-trace")
    return ",".join(seen) or "none"


class Directory(BaseHTTPRequestHandler):
    """The realistic app's downstream: records the headers of each call, answers the notice."""
    calls = []

    def do_GET(self):
        Directory.calls.append({k.lower(): v for k, v in self.headers.items()})
        body = BOOT_NOTICE.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, whatever the environment


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def boot_startup():
    """Time to first 200 of the realistic Spring Boot app: from process start until GET of a page
    that queries the database, calls the directory downstream and renders a template answers 200,
    polled from here on loopback with the inbound trace headers; then the process is killed, so its
    CPU and peak RSS are those of the way to the first 200."""
    try:
        with open(os.path.join(BOOT_APP, "classpath.txt")) as f:
            classpath = os.path.join(BOOT_APP, "classes") + os.pathsep + f.read().strip()
    except OSError:
        fail("benchmarks/boot-app is not built: bash benchmarks/run builds it")
    constants = forwarded_constants()
    inbound = {"x-request-id": constants["REQUEST_ID"], "x-b3-traceid": constants["TRACE_ID"],
               "x-b3-spanid": constants["SPAN_ID"], "x-b3-sampled": "1"}
    directory = ThreadingHTTPServer(("127.0.0.1", 0), Directory)
    threading.Thread(target=directory.serve_forever, daemon=True).start()
    log = os.path.join(BOOT_APP, "boot-startup.log")
    # Tomcat's work directories: a killed app cannot remove them, so they go here, not to /tmp.
    scratch = os.path.join(BOOT_APP, "boot-startup-tmp")
    print("[benchmarks] start-up: realistic Spring Boot app (ClinicApp), time to first 200, %d runs per variant" % RUNS,
          flush=True)

    def measure(name):
        port = free_port()
        print("[benchmarks]   %s on 127.0.0.1:%d" % (name, port), flush=True)
        Directory.calls = []
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
        command = [JAVA] + VARIANTS[name] + ["-Djava.io.tmpdir=" + scratch, "-cp", classpath,
                                             "dev.meshaware.benchmarks.clinic.ClinicApp",
                                             "--server.port=%d" % port,
                                             "--clinic.directory.url=http://127.0.0.1:%d/notices" % directory.server_port]
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, BOOT_PAGE), headers=inbound)
        with open(log, "wb") as out:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=clean_env())
            problem, body = None, ""
            while True:
                if process.poll() is not None:
                    problem = "exited with status %d before answering" % process.returncode
                    break
                if time.perf_counter() - start > 180:
                    problem = "did not answer within 180 s"
                    break
                try:
                    with NO_PROXY.open(request, timeout=60) as response:
                        wall = time.perf_counter() - start
                        body = response.read().decode("utf-8", "replace")
                    break
                except urllib.error.HTTPError as e:
                    problem = "answered %d" % e.code
                    break
                except OSError:  # not listening yet
                    time.sleep(0.005)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            _, _, usage = os.wait4(process.pid, 0)
        if problem:
            with open(log, errors="replace") as f:
                fail("%s: the realistic app %s:\n%s" % (name, problem, f.read()[-3000:]))
        if "Hana Davis" not in body or BOOT_NOTICE not in body:
            fail("%s: the realistic app's page lacks the database's owners or the directory's notice:\n%s" %
                 (name, body[-2000:]))
        forwarded = describe(Directory.calls[-1], constants) if len(Directory.calls) == 1 else None
        if forwarded is None or not EXPECTED[name](forwarded):
            fail("%s did not do its job in the realistic app: %d downstream calls, forwarded %s" %
                 (name, len(Directory.calls), forwarded))
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0

    samples = alternating(measure)
    directory.shutdown()
    shutil.rmtree(scratch, ignore_errors=True)
    return samples


class Sidecar(BaseHTTPRequestHandler):
    ready_at = None

    def do_GET(self):
        ready = Sidecar.ready_at is not None and time.time() >= Sidecar.ready_at
        self.send_response(200 if ready else 503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def gate_latency():
    print("[benchmarks] gate latency", flush=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sidecar)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = clean_env()
    env["KUBERNETES_SERVICE_HOST"] = "127.0.0.1"  # in Kubernetes, as far as the agent can tell; nothing dials it
    latencies = []
    for i in range(RUNS):
        Sidecar.ready_at = time.time() + 1.0 + (i % 5) * 0.011  # spread over the poll interval
        _, _, _, out = run_once([JAVA, "-javaagent:" + AGENT,
                                 "-Dmeshaware.startup.ready-url=http://127.0.0.1:%d/healthz/ready" % server.server_port,
                                 "-cp", CLASSES, "dev.meshaware.benchmarks.apps.GateApp"], env)
        main = re.search(r"MAIN (\d+)", out)
        if not main or "sidecar ready after" not in out:
            fail("the gate did not wait for the sidecar:\n" + out)
        latencies.append(int(main.group(1)) - Sidecar.ready_at * 1000)
    server.shutdown()
    own = []  # the same first lines without an agent (no gate): the application's own share
    for _ in range(RUNS):
        _, _, _, out = run_once([JAVA, "-cp", CLASSES, "dev.meshaware.benchmarks.apps.GateApp"])
        own.append(int(re.search(r"FIRST_LINES_US (\d+)", out).group(1)) / 1000.0)
    return latencies, own


NO_SIDECAR_SECTION = "## No sidecar: the gate's decision from the pod's network"


def no_sidecar_start():
    """An unmeshed pod without the annotations file: how long the gate holds the start now that it
    reads the pod's network (listening ports, then one connection to the Kubernetes API Service,
    here a loopback socket that accepts), against no agent, the agent outside Kubernetes (no gate),
    and the bounded wait the same pod had before (KUBERNETES_SERVICE_PORT unset: no evidence)."""
    print("[benchmarks] no sidecar: decision from the pod's network", flush=True)
    api = socket.socket()
    api.bind(("127.0.0.1", 0))
    api.listen(64)
    stop = threading.Event()

    def accept():
        api.settimeout(0.2)
        while not stop.is_set():
            try:
                api.accept()[0].close()
            except OSError:
                pass

    threading.Thread(target=accept, daemon=True).start()
    app = ["-cp", CLASSES, "dev.meshaware.benchmarks.apps.GateApp"]
    agent = ["-javaagent:" + AGENT, "-Dmeshaware.debug=true"]
    pod = clean_env()
    pod["KUBERNETES_SERVICE_HOST"] = "127.0.0.1"
    unmeshed = dict(pod, KUBERNETES_SERVICE_PORT=str(api.getsockname()[1]))
    variants = {"no agent": ([JAVA] + app, clean_env()),
                "meshaware, not in Kubernetes (no gate)": ([JAVA] + agent + app, clean_env()),
                "meshaware, unmeshed pod, decided from its network": ([JAVA] + agent + app, unmeshed)}
    to_main = {name: [] for name in variants}
    gate, gate_to_main = [], []
    for round_ in range(-1, RUNS):
        for name, (command, env) in variants.items():
            launched = time.time()
            _, _, _, out = run_once(command, env)
            if round_ < 0:
                continue
            to_main[name].append(int(re.search(r"MAIN (\d+)", out).group(1)) - launched * 1000)
            if "decided" in name:
                if "no sidecar: no proxy port listens" not in out:
                    fail("the gate did not decide from the pod's network:\n" + out)
                held = re.search(r"of which the startup gate (\d+) ms, then (\d+) ms after it", out)
                gate.append(int(held.group(1)))
                gate_to_main.append(int(held.group(1)) + int(held.group(2)))
    before = []
    for _ in range(2):  # the bounded wait: 5 s a start, so two runs
        launched = time.time()
        _, _, _, out = run_once([JAVA] + agent + app, pod)
        before.append(int(re.search(r"MAIN (\d+)", out).group(1)) - launched * 1000)
    stop.set()
    api.close()
    return to_main, gate, gate_to_main, before


def no_sidecar_section(to_main, gate, gate_to_main, before):
    base = med(to_main["no agent"])
    lines = [NO_SIDECAR_SECTION, "",
             "A pod without a sidecar and without the annotations file (`GateApp`, %d runs per variant, alternating, "
             "median (min-max)): the gate reads the pod's listening ports and makes one connection to the "
             "Kubernetes API Service (a loopback socket here) instead of waiting `no-sidecar-after`." % len(gate), "",
             "| variant | process launch -> `main` (ms) | vs no agent |", "|---|---|---|"]
    for name, values in to_main.items():
        lines.append("| %s | %s | %+.0f ms |" % (name, span(values), med(values) - base))
    lines.append("| meshaware, unmeshed pod, no evidence (`KUBERNETES_SERVICE_PORT` unset; the wait before this "
                 "change) | %s (2 runs) | %+.0f ms |" % (span(before), med(before) - base))
    lines += ["", "- The gate's own decision: %s ms; gate start -> `main` (the decision plus the rest of `premain`): "
              "%s ms." % (span(gate), span(gate_to_main)), ""]
    target = ("no sidecar: gate start -> main", "<= 200 ms", "%.0f ms (max %.0f)" % (med(gate_to_main), max(gate_to_main)),
              max(gate_to_main) <= 200)
    return lines, [target]


def loaded_classes():
    counts = {}
    for name, options in VARIANTS.items():
        _, _, _, out = run_once([JAVA] + options + ["-Xlog:class+load=info", "-cp", CLASSES,
                                                     "dev.meshaware.benchmarks.apps.SmallApp"])
        counts[name] = sum(1 for line in out.splitlines() if "source:" in line)
    return counts


def cost_breakdown():
    """Where meshaware's start-up time goes in the small app (its own debug lines)."""
    premain, engine, transform, background, classes_by_owner = [], [], [], [], {}
    for _ in range(5):
        _, _, _, out = run_once([JAVA, "-javaagent:" + AGENT, "-Dmeshaware.debug=true", "-Xlog:class+load=info",
                                 "-cp", CLASSES, "dev.meshaware.benchmarks.apps.SmallApp"])
        premain.append(int(re.search(r"premain took (\d+) ms", out).group(1)))
        cost = re.search(r"engine (\d+) ms, (\d+) target classes transformed in (\d+) ms", out)
        engine.append(int(cost.group(1)))
        transform.append(int(cost.group(3)))
        background.append(int(re.search(r"background preparation (\d+) ms", out).group(1)))
        loads = [l for l in out.splitlines() if "source:" in l]
        classes_by_owner = {
            "Byte Buddy (relocated)": sum(1 for l in loads if "dev.meshaware.agent.shaded." in l),
            "meshaware": sum(1 for l in loads if "dev.meshaware." in l and ".shaded." not in l),
        }
    return premain, engine, transform, background, int(cost.group(2)), classes_by_owner


def jmh():
    print("[benchmarks] JMH per-hop cost", flush=True)
    result = os.path.join(TARGET, "jmh.json")
    subprocess.run([JAVA, "-cp", CLASSPATH, "org.openjdk.jmh.Main", "HopBenchmark", "-f", "1", "-wi", "3", "-w", "1s",
                    "-i", "5", "-r", "1s", "-prof", "gc", "-rf", "json", "-rff", result],
                   check=True, stdout=subprocess.DEVNULL, env=clean_env())
    with open(result) as f:
        data = json.load(f)
    rows = {}
    for entry in data:
        name = entry["benchmark"].rsplit(".", 1)[-1]
        secondary = entry.get("secondaryMetrics", {})
        alloc = next((v["score"] for k, v in secondary.items() if k.endswith("gc.alloc.rate.norm")), float("nan"))
        rows[name] = (entry["primaryMetric"]["score"], entry["primaryMetric"]["scoreError"], alloc)
    return rows


HOPS = 8


def framework_hops():
    """NettyHopBenchmark without and with the agent: what the woven code adds to one request."""
    print("[benchmarks] JMH per-request cost on Netty and Vert.x, without and with the agent", flush=True)
    rows = {}
    for variant, extra in (("no agent", []), ("meshaware", ["-jvmArgsAppend", "-javaagent:" + AGENT])):
        result = os.path.join(TARGET, "jmh-netty-%s.json" % variant.replace(" ", "-"))
        out = subprocess.run([JAVA, "-cp", CLASSPATH, "org.openjdk.jmh.Main", "NettyHopBenchmark", "-f", "1",
                              "-wi", "12", "-w", "1s", "-i", "8", "-r", "1s", "-prof", "gc", "-rf", "json",
                              "-rff", result] + extra,
                             check=True, capture_output=True, text=True, env=clean_env()).stdout
        sizes = {(h, int(n)): int(b) for h, n, b in
                 re.findall(r"\[netty-hop\] (\w+) (\d+) outbound request bytes: (\d+)", out)}
        with open(result) as f:
            for entry in json.load(f):
                key = (entry["params"]["hop"], int(entry["params"]["hops"]))
                secondary = entry.get("secondaryMetrics", {})
                alloc = next((v["score"] for k, v in secondary.items() if k.endswith("gc.alloc.rate.norm")), float("nan"))
                rows[key + (variant,)] = (entry["primaryMetric"]["score"], alloc, sizes.get(key, 0))
    for key in {k[:2] for k in rows}:
        if rows[key + ("meshaware",)][2] <= rows[key + ("no agent",)][2]:
            fail("the agent added no header to the outbound request on the %s hop, %d hops" % key)
    return rows


def chain(app="dev.meshaware.benchmarks.apps.ChainApp"):
    print("[benchmarks] loopback chain through %s: %d rounds of %d s" % (app.rsplit(".", 1)[-1], CHAIN_ROUNDS, CHAIN_SECONDS), flush=True)
    out = subprocess.run([JAVA, "-cp", CLASSPATH, "dev.meshaware.benchmarks.ChainBenchmark", JAVA, AGENT, OTEL,
                          CLASSPATH, str(CHAIN_SECONDS), str(CHAIN_ROUNDS), "16", app],
                         check=True, capture_output=True, text=True, env=clean_env()).stdout
    rounds = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    names = {"none": "no agent", "meshaware": "meshaware", "otel": "OpenTelemetry"}
    results = {}
    for r in rounds:
        name = names[r["variant"]]
        if name == "meshaware" and r["with_request_id"] != r["downstream"]:
            fail("meshaware forwarded x-request-id on %d of %d chain calls" % (r["with_request_id"], r["downstream"]))
        if name == "OpenTelemetry" and r["with_b3"] != r["downstream"]:
            fail("OpenTelemetry forwarded B3 on %d of %d chain calls" % (r["with_b3"], r["downstream"]))
        if name == "no agent" and r["with_request_id"] + r["with_b3"] != 0:
            fail("headers arrived without any agent")
        results.setdefault(name, []).append(r)
    return results


def kafka():
    """KafkaBenchmark: the loopback broker in its JVM, the app without and with the agent, alternating."""
    print("[benchmarks] Kafka throughput: %d rounds of %d records (%d warm-up), %d partitions" %
          (KAFKA_ROUNDS, KAFKA_RECORDS, KAFKA_WARMUP, KAFKA_PARTITIONS), flush=True)
    out = subprocess.run([JAVA, "-Dlogback.configurationFile=kafka-benchmark-logback.xml", "-cp", KAFKA_CLASSPATH,
                          "dev.meshaware.benchmarks.KafkaBenchmark", JAVA, AGENT, KAFKA_CLASSPATH, str(KAFKA_RECORDS),
                          str(KAFKA_WARMUP), str(KAFKA_ROUNDS), str(KAFKA_PARTITIONS)],
                         capture_output=True, text=True, env=clean_env())
    if out.returncode != 0:
        fail("the Kafka benchmark failed:\n" + (out.stdout + out.stderr)[-3000:])
    results = {}
    for r in (json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")):
        name = KAFKA_VARIANTS[r["variant"]]
        if r["relayed"] != r["records"] or r["plain"] != r["records"]:
            fail("%s round %d: %d relayed, %d plain records of %d" % (name, r["round"], r["relayed"], r["plain"], r["records"]))
        if r["plain_with_headers"] != 0:
            fail("%s: %d records produced while nothing was processed carry trace headers" % (name, r["plain_with_headers"]))
        if r["other_headers"] != 0:
            fail("%s: %d relayed records carry trace headers not exactly their input's" % (name, r["other_headers"]))
        if name != "no agent" and r["own_headers"] != r["relayed"]:
            fail("%s: %d of %d relayed records carry their input's headers" % (name, r["own_headers"], r["relayed"]))
        if name == "no agent" and r["own_headers"] != 0:
            fail("headers were copied without any agent")
        results.setdefault(name, []).append(r)
    if set(results) != set(KAFKA_VARIANTS.values()):
        fail("the Kafka benchmark reported no rounds:\n" + (out.stdout + out.stderr)[-3000:])
    return results


def med(values):
    return statistics.median(values)


def span(values, fmt="%.0f"):
    return (fmt + " (" + fmt + "-" + fmt + ")") % (med(values), min(values), max(values))


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    version = subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()
    return "%d cores (%s), %s, %s" % (os.cpu_count(), cpu, platform.system() + " " + platform.release(),
                                      " / ".join(version[:2]))


def main():
    if sys.argv[1:] == ["kafka"]:
        splice(KAFKA_SECTION, *kafka_section(kafka()))
        return
    if sys.argv[1:] == ["nosidecar"]:
        splice(NO_SIDECAR_SECTION, *no_sidecar_section(*no_sidecar_start()),
               before=("## Startup gate latency", "## Targets"))
        return
    if sys.argv[1:] == ["boot"]:
        splice(BOOT_SECTION, *boot_section(boot_startup()), before=("## Where meshaware's start-up cost goes (small app)",
                                                                     "## Startup gate latency", "## Targets"))
        return
    if sys.argv[1:] == ["startup"]:
        retire_targets(["gate latency"])  # replaced by the median and max rows
        sections, targets = startup_sections(*startup_measurements())
        for heading in STARTUP_HEADINGS:  # the target rows go with the first splice
            if heading in sections:
                splice(heading, sections[heading], targets, before=("## Footprint", "## Targets"))
                targets = []
        splice(NO_SIDECAR_SECTION, *no_sidecar_section(*no_sidecar_start()),
               before=("## Startup gate latency", "## Targets"))
        return
    if sys.argv[1:] == ["starter"]:
        splice(STARTER_SECTION, *starter_section(starter_jmh()), before=STARTER_BEFORE)
        return
    if sys.argv[1:]:
        fail("unknown arguments %s: none runs every benchmark, `kafka` only the Kafka one, `boot` only the "
             "realistic Spring Boot app's, `startup` every start-up one, `nosidecar` the gate's decision in an "
             "unmeshed pod, `starter` the Spring Boot starter's per-call costs" % sys.argv[1:])
    small, boot, realistic, gate, classes, breakdown, aot = startup_measurements()
    hop = jmh()
    frameworks = framework_hops()
    chains = chain()
    vertx_chains = chain("dev.meshaware.benchmarks.apps.VertxChainApp")
    kafka_results = kafka()
    write_report(small, boot, realistic, gate, classes, breakdown, hop, chains, vertx_chains, frameworks, kafka_results,
                 aot)
    splice(STARTER_SECTION, *starter_section(starter_jmh()), before=STARTER_BEFORE)


STARTER_SECTION = "## Spring Boot starter: per outbound call, per task, per Reactor pipeline (JMH)"
STARTER_BEFORE = ("## Per request: loopback chain", "## Targets")


def starter_jmh():
    """StarterOutboundBenchmark and ReactorHookBenchmark: rows keyed by benchmark and parameter."""
    print("[benchmarks] JMH starter costs", flush=True)
    result = os.path.join(TARGET, "jmh-starter.json")
    subprocess.run([JAVA, "-cp", CLASSPATH, "org.openjdk.jmh.Main", "StarterOutboundBenchmark|ReactorHookBenchmark",
                    "-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s", "-rf", "json", "-rff", result],
                   check=True, stdout=subprocess.DEVNULL, env=clean_env())
    with open(result) as f:
        data = json.load(f)
    rows = {}
    for entry in data:
        name = entry["benchmark"].rsplit(".", 1)[-1]
        params = entry.get("params", {})
        key = (name, params.get("depth") or params.get("hook"))
        rows[key] = (entry["primaryMetric"]["score"], entry["primaryMetric"]["scoreError"])
    return rows


def starter_section(rows):
    def cell(name, param):
        score, error = rows.get((name, param), (float("nan"), float("nan")))
        return "%.0f ± %.0f ns" % (score, error)
    lines = [STARTER_SECTION, "",
             "What the starter (without the agent) adds where a request's headers are current: finding them for an "
             "outbound call, which walks up to 128 frames of the calling stack to tell a future's callback or a sink "
             "subscriber run by another party's completion (it then sends none); decorating a Spring executor's task "
             "(a 64-frame walk); and, in a WebFlux application, the Reactor operator hook that hands each "
             "subscriber of a lifted operator its own request's headers. `depth`: frames between the call and the "
             "benchmark's base (a Spring MVC controller's client call is some 80 to 120 frames above the servlet "
             "filter). Core alone is the lookup without the walk.", "",
             "| frames up | outbound call: core alone | outbound call: starter | task: core alone | task: starter |",
             "|---|---|---|---|---|"]
    for depth in ("20", "80", "150"):
        lines.append("| %s | %s | %s | %s | %s |" % (depth, cell("core", depth), cell("starter", depth),
                                                   cell("coreTask", depth), cell("starterTask", depth)))
    lines += ["", "An 8-operator pipeline (`range`, `map`, `filter`, `flatMap`, `doOnNext`, `collectList`, `cache`, "
              "`map`; two of them lifted):", "",
              "| hook | assemble | assemble and run, in a request | assemble and run, outside any request |",
              "|---|---|---|---|"]
    for hook, label in (("off", "none"), ("identity", "an identity hook (Reactor's own cost of any hook)"),
                        ("on", "meshaware's")):
        lines.append("| %s | %s | %s | %s |" % (label, cell("assemble", hook), cell("runInRequest", hook),
                                                 cell("runOutsideRequest", hook)))
    lines += ["", "Machine: " + machine(), ""]
    return lines, []


def startup_measurements():
    small = startup("dev.meshaware.benchmarks.apps.SmallApp", CLASSES)
    boot = startup("dev.meshaware.benchmarks.apps.BootApp", CLASSPATH)
    realistic = boot_startup()
    gate = gate_latency()
    classes = loaded_classes()
    breakdown = cost_breakdown()
    java25 = aot_cache_module.find_java25()
    aot = aot_cache_module.aot_cache(java25, AGENT, CLASSES, RUNS) if java25 else None
    return small, boot, realistic, gate, classes, breakdown, aot



def boot_section(samples):
    """The realistic app's section and its target: meshaware's median time to first 200 at most 3%
    over no agent's."""
    base = med(samples["no agent"]["wall"])
    lines = startup_table(
        BOOT_SECTION,
        "`benchmarks/boot-app` (`ClinicApp`, Spring Boot %s): owners, pets, visits, vets and specialties in JPA "
        "entities on an in-memory H2 database filled by `schema.sql` and `data.sql`, a Spring Data repository "
        "each, validated forms and request parameters, Thymeleaf pages sharing a layout fragment, actuator "
        "health; built as a project of its own, so its libraries are not on the other benchmarks' class path. "
        "Measured: from process start until `GET %s` (a query, one outbound call through Boot's "
        "`RestClient.Builder` to a downstream the harness runs, a rendered page), sent with the inbound trace "
        "headers by the harness polling every 5 ms on loopback, answers 200; then the process is killed, so "
        "CPU and peak RSS are those of the way to the first 200. Each variant's job is checked on the "
        "downstream call. Median (min-max) of %d runs after 2 warm-up rounds, variants alternating. Measured "
        "%s; `bash benchmarks/run boot` regenerates this section alone." %
        (spring_boot_version(), BOOT_PAGE, RUNS, time.strftime("%Y-%m-%d")), samples, "time to first 200 ms")
    within = [100 * (m / n - 1) for m, n in zip(samples["meshaware"]["wall"], samples["no agent"]["wall"])]
    lines[-1:-1] = ["", "meshaware over no agent within each round (the two ran in the same round, so the "
                    "machine's drift partly cancels), median %+.1f%% (%+.1f%% to %+.1f%%) over rounds." % (med(within), min(within), max(within))]
    mesh = med(samples["meshaware"]["wall"])
    targets = [("start-up, realistic Spring Boot app: time to first 200", "<= +3% over no agent",
                "%+.1f%% (%+.0f ms)" % (100 * (mesh / base - 1), mesh - base), mesh <= 1.03 * base)]
    return lines, targets


def spring_boot_version():
    with open(os.path.join(ROOT, "pom.xml")) as f:
        return re.search(r"<spring-boot.version>([^<]+)<", f.read()).group(1)


def startup_table(title, description, samples, wall_label="wall ms"):
    base_wall, base_cpu = med(samples["no agent"]["wall"]), med(samples["no agent"]["cpu"])
    measure = wall_label.replace(" ms", "")
    lines = [title, "", description, "",
             "| variant | %s | CPU ms | peak RSS MiB | %s vs no agent | CPU vs no agent |" % (wall_label, measure),
             "|---|---|---|---|---|---|"]
    for name, s in samples.items():
        dw, dc = med(s["wall"]) - base_wall, med(s["cpu"]) - base_cpu
        lines.append("| %s | %s | %s | %s | %+.0f ms (x%.2f) | %+.0f ms (x%.2f) |" % (
            name, span(s["wall"]), span(s["cpu"]), span(s["rss"]), dw, med(s["wall"]) / base_wall,
            dc, med(s["cpu"]) / base_cpu))
    mesh = med(samples["meshaware"]["wall"]) - base_wall
    otel = med(samples["OpenTelemetry"]["wall"]) - base_wall
    if mesh > 0:
        return lines + ["", "OpenTelemetry's %s overhead is %.1fx meshaware's." % (measure, otel / mesh), ""]
    return lines + ["", "meshaware's median %s was not above no agent's in this run." % measure, ""]


def kafka_section(results):
    """The Kafka section's lines and its targets; the target is the median of the per-round ratios
    (each round's two variants ran back to back, so the machine's drift cancels out)."""
    lines = [KAFKA_SECTION, "",
             "Kafka's own KRaft broker (`KafkaClusterTestKit`, Kafka 4.1) in the harness JVM on loopback; the measured "
             "app (`KafkaRelayApp`, default client settings) in a child JVM without and with `-javaagent`, a fresh JVM "
             "per variant and round, the variants taking turns at going first; %d rounds, topics of %d partitions "
             "made for each round and deleted after it. Each JVM warms up on %d records per phase, then measures %d "
             "records per phase: **produce**, records of 300 bytes sent while nothing is being processed (until "
             "`flush` returns); **consume -> produce**, a plain loop iterating `ConsumerRecords` of an input topic "
             "filled beforehand as 50 interleaved requests left it (`x-request-id`, `x-b3-*`, `traceparent` on every "
             "record) and sending one record per record consumed (from the first record handed out until `flush` "
             "returns). The output topics are read back: with the agent every relayed record must carry exactly its "
             "own input's headers; without it none, and no plain record any. Measured %s on %s; "
             "`bash benchmarks/run kafka` regenerates this section alone." %
             (KAFKA_ROUNDS, KAFKA_PARTITIONS, KAFKA_WARMUP, KAFKA_RECORDS, time.strftime("%Y-%m-%d"), machine()), "",
             "| variant | produce records/s | vs no agent | consume -> produce records/s | vs no agent "
             "| relayed records with their input's headers |", "|---|---|---|---|---|---|"]
    base = results["no agent"]

    def rates(rounds, phase):
        return [r[phase]["rate"] for r in rounds]

    base_produce, base_relay = med(rates(base, "produce")), med(rates(base, "relay"))
    for name in KAFKA_VARIANTS.values():
        rounds = results[name]
        produce, relay = rates(rounds, "produce"), rates(rounds, "relay")
        lines.append("| %s | %s | %.1f%% | %s | %.1f%% | %d of %d |" % (
            name, span(produce), 100 * med(produce) / base_produce, span(relay), 100 * med(relay) / base_relay,
            sum(r["own_headers"] for r in rounds), sum(r["relayed"] for r in rounds)))
    by_round = {r["round"]: r for r in base}
    ratios = {phase: [100 * r[phase]["rate"] / by_round[r["round"]][phase]["rate"] for r in results["meshaware"]]
              for phase in ("produce", "relay")}
    lines += ["", "meshaware / no agent within each round, median (min-max) over rounds: produce %s, "
              "consume -> produce %s. The third variant is the cost of carrying the headers without any agent: "
              "the app copies each input record's headers to its output record itself." %
              (span(ratios["produce"], "%.1f%%"), span(ratios["relay"], "%.1f%%")), "",
              "Cost per record, median over rounds: CPU and allocation of the application's thread (the one "
              "sending, or polling and sending), and CPU of the whole app process (its thread, Kafka's I/O "
              "threads, GC, JIT). Less disturbed by a busy machine than records/s.", "",
              "| phase | variant | thread CPU us | thread B allocated | process CPU us |", "|---|---|---|---|---|"]
    for phase, title in (("produce", "produce"), ("relay", "consume -> produce")):
        for name in KAFKA_VARIANTS.values():
            rounds = results[name]
            lines.append("| %s | %s | %.2f | %.0f | %.2f |" % (
                title, name, med([r[phase]["thread_cpu_us"] for r in rounds]),
                med([r[phase]["thread_bytes"] for r in rounds]), med([r[phase]["process_cpu_us"] for r in rounds])))
    lines.append("")
    targets = [("Kafka %s throughput" % title, ">= 97% of no agent", "%.1f%%" % med(ratios[phase]),
                med(ratios[phase]) >= 97) for phase, title in (("produce", "produce"), ("relay", "consume -> produce"))]
    copy_round = {r["round"]: r for r in results[KAFKA_VARIANTS["copy"]]}
    vs_copy = [100 * r["relay"]["rate"] / copy_round[r["round"]]["relay"]["rate"] for r in results["meshaware"]]
    targets.append(("Kafka consume -> produce vs the app copying the headers (no target; for reference)", "-",
                    "%.1f%%" % med(vs_copy), True))
    return lines, targets


def retire_targets(names):
    """Removes target rows no section writes any more from docs/benchmarks.md."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    with open(path) as f:
        lines = f.read().split("\n")
    with open(path, "w") as f:
        f.write("\n".join(l for l in lines if not any(l.startswith("| %s | " % n) for n in names)))


def splice(heading, section, targets, before=("## Startup gate latency", "## Targets")):
    """Replaces one section (from its heading to the next) and its target rows in
    docs/benchmarks.md, leaving the rest as the last full run wrote it. A section not there yet
    goes before the first heading of `before` found; a target row not there yet at the end of the
    table."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    with open(path) as f:
        lines = f.read().split("\n")
    if heading in lines:
        start = lines.index(heading)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        del lines[start:end]
    else:
        start = next((i for i, l in enumerate(lines) if l in before), len(lines))
    lines[start:start] = section
    rows = {name: "| %s | %s | %s | %s |" % (name, goal, measured, "met" if met else "**missed**")
            for name, goal, measured, met in targets}
    printed = list(rows.values())
    if "## Targets" not in lines:
        lines += ["## Targets", "", "| target | goal | measured | |", "|---|---|---|---|", ""]
    at = lines.index("## Targets") + 1
    while at < len(lines) and not lines[at].startswith("|"):
        at += 1
    while at < len(lines) and lines[at].startswith("|"):
        name = lines[at].split(" | ", 1)[0][2:]
        if name in rows:
            lines[at] = rows.pop(name)
        at += 1
    lines[at:at] = list(rows.values())
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(section + printed))


def chain_table(title, description, chains, targets, target_name):
    lines = [title, "", description, "",
             "| variant | requests/s | vs no agent | p50 ms | p99 ms |", "|---|---|---|---|---|"]
    base_tp = med([r["throughput"] for r in chains["no agent"]])
    for name, rounds in chains.items():
        tp = [r["throughput"] for r in rounds]
        lines.append("| %s | %s | %.1f%% | %s | %s |" % (name, span(tp), 100 * med(tp) / base_tp,
                                                        span([r["p50_ms"] for r in rounds], "%.2f"),
                                                        span([r["p99_ms"] for r in rounds], "%.2f")))
    ratio = med([r["throughput"] for r in chains["meshaware"]]) / base_tp
    targets.append((target_name, ">= 97% of no agent", "%.1f%%" % (100 * ratio), ratio >= 0.97))
    return lines + [""]


STARTUP_HEADINGS = ["## Start-up: Small JDK app (HttpServer + HttpClient, one forwarded request)",
                    "## Start-up: Spring Boot web app (started until ready, one forwarded request, closed)",
                    BOOT_SECTION,
                    "## Where meshaware's start-up cost goes (small app)",
                    "## Startup gate latency",
                    aot_cache_module.SECTION,
                    "## Footprint"]


def startup_sections(small, boot, realistic, gate, classes, breakdown, aot):
    """The start-up sections of the report, by heading, and their target rows."""
    sections = {}
    lines = []
    targets = []
    for title, samples in (("Small JDK app (HttpServer + HttpClient, one forwarded request)", small),
                           ("Spring Boot web app (started until ready, one forwarded request, closed)", boot)):
        base_wall, base_cpu = med(samples["no agent"]["wall"]), med(samples["no agent"]["cpu"])
        lines = []
        lines += startup_table("## Start-up: " + title, "Whole process, median (min-max) of %d runs after 2 "
                               "warm-up rounds, variants alternating." % RUNS, samples)
        mesh = med(samples["meshaware"]["wall"]) - base_wall
        otel = med(samples["OpenTelemetry"]["wall"]) - base_wall
        if samples is small:
            targets += [("start-up wall, small app", "<= +150 ms", "%+.0f ms" % mesh, mesh <= 150),
                        ("start-up CPU, small app", "<= +250 ms",
                         "%+.0f ms" % (med(samples["meshaware"]["cpu"]) - base_cpu),
                         med(samples["meshaware"]["cpu"]) - base_cpu <= 250),
                        ("overhead vs OpenTelemetry, small app", ">= 15x less",
                         "%.1fx less" % (otel / mesh if mesh > 0 else float("inf")), mesh <= 0 or otel / mesh >= 15)]
        sections["## Start-up: " + title] = lines
    realistic_lines, realistic_targets = boot_section(realistic)
    sections[BOOT_SECTION] = realistic_lines
    targets += realistic_targets
    premain, engine, transform, background, targets_count, owners = breakdown
    sections["## Where meshaware's start-up cost goes (small app)"] = [
        "## Where meshaware's start-up cost goes (small app)", "",
        "From the agent's own `DEBUG` timings (CPU time of the thread named), median (min-max) of 5 runs:", "",
        "| part | ms | thread | note |", "|---|---|---|---|",
        "| `premain` | %s | main (wall ms) | core defined in the boot loader, settings read, libraries selected, gate "
        "decided, transformers registered |" % span(premain),
        "| background preparation | %s | `meshaware-prepare` | the advice engine made (its share in the next row), "
        "targets loaded before `premain` retransformed, the JDK's targets woven ahead of their load once their "
        "library announces itself (here `HttpClient` and `HttpServer`); while a gate waits, also the JDK's executors "
        "and every JDK target, and Byte Buddy run once on a practice class |" % span(background),
        "| of which the advice engine | %s | `meshaware-prepare`, or the first target's if it comes first | "
        "Byte Buddy's type pool and advice classes loaded, the build's reference list read |" % span(engine),
        "| transforming %d target classes | %s | the class's loader | ~0 for a class woven ahead; otherwise type "
        "description, shape check, advice inlining (Byte Buddy's `Advice` on ASM) |" % (targets_count, span(transform)),
        "", "Classes loaded because of meshaware: %d of Byte Buddy (relocated), %d of meshaware; the rest "
        "(of the %+d in the footprint table) are JDK classes that instrumentation and Byte Buddy pull in. "
        "Loading and first, interpreted runs of Byte Buddy's `Advice` and type pool are the bulk of the CPU; "
        "they now run on the background thread, beside the application's own start on a second core, which "
        "moves them off the wall time but not off the CPU time. Cutting the CPU needs the weaving itself "
        "cheaper: call-site hooks written at build time instead of advice inlined at run time." %
        (owners["Byte Buddy (relocated)"], owners["meshaware"], classes["meshaware"] - classes["no agent"]), ""]
    sections["## Startup gate latency"] = ["## Startup gate latency", "",
              "Simulated sidecar turns ready (503 -> 200); time until the application's `main` ran its first line. "
              "Loading `GateApp`'s main class first uses JDK types meshaware instruments, as a real application's first "
              "lines do: it hands one task to a thread pool (`Executors.newFixedThreadPool`) and "
              "builds a `java.net.http.HttpRequest` for an HTTP/1.1 client (no client is created: the TLS context that "
              "sets up is the JDK's own cost); `main` then takes the time, so the weaving those types need counts. %d runs: median %.0f ms, min %.0f ms, max %.0f ms "
              "(poll interval 20 ms). The same first lines take %.0f ms (%.0f-%.0f) without any agent (%d runs): the "
              "application's own share, which no agent can remove." % (len(gate[0]), med(gate[0]), min(gate[0]), max(gate[0]),
                                                                       med(gate[1]), min(gate[1]), max(gate[1]), len(gate[1])), ""]
    targets.append(("gate latency median", "<= 60 ms", "%.0f ms" % med(gate[0]), med(gate[0]) <= 60))
    targets.append(("gate latency max", "<= 100 ms", "%.0f ms" % max(gate[0]), max(gate[0]) <= 100))
    size = os.path.getsize(AGENT) / (1024 * 1024)
    if aot is not None:
        sections[aot_cache_module.SECTION] = aot["section"].split("\n")
    sections["## Footprint"] = ["## Footprint", "",
              "| | meshaware | OpenTelemetry |", "|---|---|---|",
              "| agent jar | %.2f MiB | %.2f MiB |" % (size, os.path.getsize(OTEL) / (1024 * 1024)),
              "| classes loaded by the small app (no agent: %d) | %+d | %+d |" % (
                  classes["no agent"], classes["meshaware"] - classes["no agent"],
                  classes["OpenTelemetry"] - classes["no agent"]), ""]
    targets.append(("agent jar", "<= 5 MB", "%.2f MiB" % size, size * 1.048576 <= 5))
    return sections, targets


def write_report(small, boot, realistic, gate, classes, breakdown, hop, chains, vertx_chains, frameworks, kafka_results,
                 aot=None):
    lines = ["# Benchmarks", "",
             "Regenerated by `bash benchmarks/run` (do not edit by hand). Measured %s on %s." %
             (time.strftime("%Y-%m-%d"), machine()), "",
             "Every variant is checked to have done its job before its numbers count: meshaware must "
             "have forwarded the inbound `x-request-id`, OpenTelemetry (2.31.1, `b3multi`, exporters "
             "`none`) must have sent B3 headers, and without an agent nothing may arrive.", ""]
    targets = []
    sections, startup_targets = startup_sections(small, boot, realistic, gate, classes, breakdown, aot)
    for heading in STARTUP_HEADINGS[:4]:
        lines += sections[heading]
    targets += startup_targets
    base = hop["baseline"]
    cost = hop["captureAndInject"][0] - base[0]
    lines += ["## Per request: one hop (JMH)", "",
              "`HopBenchmark`: what the advice does for one request and one outbound call (read the inbound "
              "headers, open the scope, add the headers to a real outbound request object, close the scope) "
              "against building the same outbound request alone. 1 fork, 3x1 s warm-up, 5x1 s measurement, GC profiler.", "",
              "| benchmark | ns/op | B/op |", "|---|---|---|"]
    for name, (score, error, alloc) in hop.items():
        lines.append("| %s | %.1f ± %.1f | %.0f |" % (name, score, error, alloc))
    lines += ["", "meshaware's share: %.0f ns and %.0f B per hop." % (cost, hop["captureAndInject"][2] - base[2])]
    if "taskHandOff" in hop and "taskHandOffBaseline" in hop:
        hand = hop["taskHandOff"][0] - hop["taskHandOffBaseline"][0]
        lines += ["", "`taskHandOff`: one thread hop while a request is served (the request's scope opened and closed, "
                  "the task registered to its owner where it is submitted and run in its owner's scope), against "
                  "`taskHandOffBaseline` (the same task run alone): %.0f ns per hop." % hand]
        targets.append(("per thread-hop cost", "<= 1 us", "%.0f ns" % hand, hand <= 1000))
    lines += [""]
    targets.append(("per-hop cost", "<= 1 us", "%.0f ns" % cost, cost <= 1000))
    lines += ["## Per request and per hop on Netty and Vert.x (JMH)", "",
              "`NettyHopBenchmark`: one request through real Netty pipelines in memory (`HttpServerCodec` in, "
              "an outbound call through `HttpRequestEncoder` after 0 or %d hops, the answer out). A hop is a listener "
              "of a Netty `ChannelPromise` (`netty`) or of a Vert.x future (`vertx`), registered and then called. Run without and "
              "with `-javaagent`: the agent's share per request is the difference at 0 hops; per hop, the growth from "
              "0 to %d hops over %d. The outbound request size shows the headers were written." % (HOPS, HOPS, HOPS), "",
              "| hop | hops | no agent ns/op | meshaware ns/op | meshaware's share | B/op (no agent / meshaware) | outbound bytes |",
              "|---|---|---|---|---|---|---|"]
    for name in ("netty", "vertx"):
        for hops in (0, HOPS):
            base_ns, base_alloc, base_bytes = frameworks[(name, hops, "no agent")]
            mesh_ns, mesh_alloc, mesh_bytes = frameworks[(name, hops, "meshaware")]
            lines.append("| %s | %d | %.0f | %.0f | %+.0f ns | %.0f / %.0f | %d / %d |" % (
                name, hops, base_ns, mesh_ns, mesh_ns - base_ns, base_alloc, mesh_alloc, base_bytes, mesh_bytes))
        request = frameworks[(name, 0, "meshaware")][0] - frameworks[(name, 0, "no agent")][0]
        per_hop = ((frameworks[(name, HOPS, "meshaware")][0] - frameworks[(name, 0, "meshaware")][0])
                   - (frameworks[(name, HOPS, "no agent")][0] - frameworks[(name, 0, "no agent")][0])) / HOPS
        targets.append(("per-hop cost on %s" % name, "<= 1 us", "%+.0f ns" % per_hop, per_hop <= 1000))
        targets.append(("per-request cost on %s (no target; for reference)" % name, "-", "%+.0f ns" % request, True))
    lines += [""]
    lines += chain_table(
        "## Per request: loopback chain",
        "load generator (16 connections, no agent) -> JDK HttpServer app forwarding through `java.net.http` "
        "(the variant) -> downstream; %d rounds of %d s, variants alternating; median (min-max) over rounds." %
        (CHAIN_ROUNDS, CHAIN_SECONDS), chains, targets, "chain throughput")
    lines += chain_table(
        "## Per request: Vert.x event-loop chain",
        "load generator (16 connections, no agent) -> Vert.x 5 HTTP server forwarding through Vert.x's HTTP "
        "client on the event loop (the variant) -> downstream; %d rounds of %d s, variants alternating." %
        (CHAIN_ROUNDS, CHAIN_SECONDS), vertx_chains, targets, "Vert.x chain throughput")
    kafka_lines, kafka_targets = kafka_section(kafka_results)
    lines += kafka_lines
    targets += kafka_targets
    for heading in STARTUP_HEADINGS[4:]:
        if heading in sections:
            lines += sections[heading]
    lines += ["## Targets", "", "| target | goal | measured | |", "|---|---|---|---|"]
    for name, goal, measured, met in targets:
        lines.append("| %s | %s | %s | %s |" % (name, goal, measured, "met" if met else "**missed**"))
    lines.append("")
    os.makedirs(os.path.join(ROOT, "docs"), exist_ok=True)
    with open(os.path.join(ROOT, "docs", "benchmarks.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
