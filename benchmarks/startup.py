"""Times one-call commands against one simulator endpoint; see benchmarks/startup."""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

jar, out = sys.argv[1], sys.argv[2]
# Optional: another build of the CLI jar (e.g. the one before a change), measured in the same run as the baseline.
baseline_jar = sys.argv[3] if len(sys.argv) > 3 else None
runs = 7
env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDBENCH", AWS_SECRET_ACCESS_KEY="bench-secret", AWS_DEFAULT_REGION="eu-central-1",
           AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="")
sim = subprocess.Popen(["java", "-jar", jar, "--json", "simulator"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    endpoint = json.loads(sim.stdout.readline())["endpoint"]
    target = ["--cluster", "jitsi-cluster"]
    wait = ["--endpoint-url", endpoint, "wait", *target, "--service", "jitsi"]
    tools = {
        "events-jitsi (bin/events-jitsi launcher)": ["bin/events-jitsi", *wait],
        "events-jitsi (java -jar)": ["java", "-jar", jar, *wait],
        # Debian's awscli (v2) when installed, else whatever `aws` is on PATH.
        "aws ecs wait services-stable": ["/usr/bin/aws" if os.path.exists("/usr/bin/aws") else "aws", "ecs", "wait", "services-stable", "--endpoint-url", endpoint, *target, "--services", "jitsi"],
    }
    envs = {name: env for name in tools}
    if baseline_jar:
        tools["baseline jar (bin/events-jitsi launcher)"] = ["bin/events-jitsi", *wait]
        envs["baseline jar (bin/events-jitsi launcher)"] = dict(env, EVENTS_JITSI_JAR=baseline_jar)
        tools["baseline jar (java -jar)"] = ["java", "-jar", baseline_jar, *wait]
        envs["baseline jar (java -jar)"] = env
    # The launcher's first run of a new jar builds its class-data archive; measure the runs after it, as a user sees them.
    for name in [n for n in tools if "launcher" in n]:
        subprocess.run(tools[name], env=envs[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = {}
    for name, argv in tools.items():
        if shutil.which(argv[0]) is None and not os.path.exists(argv[0]):
            results[name] = None
            continue
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            code = subprocess.run(argv, env=envs[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
            if code != 0:
                raise SystemExit(f"{name} exited {code}")
        results[name] = {"wallSeconds": round(statistics.median(walls), 3), "cpuSeconds": round(statistics.median(cpus), 3)}
finally:
    sim.terminate()

baseline = results.get("aws ecs wait services-stable")
print(f"One-call command (wait on a stable service), median of {runs} runs on one simulator endpoint:")
for name, r in results.items():
    if r is None:
        print(f"  {name:45} (not installed: apt-get install awscli)")
        continue
    ratio = f"  {r['wallSeconds'] / baseline['wallSeconds']:.2f}x the AWS CLI's wall time" if baseline else ""
    print(f"  {name:45} {r['wallSeconds']:.2f} s wall, {r['cpuSeconds']:.2f} s CPU{ratio}")
if baseline_jar:
    for way in ("bin/events-jitsi launcher", "java -jar"):
        new, old = results[f"events-jitsi ({way})"], results[f"baseline jar ({way})"]
        print(f"  this build / baseline jar ({way}): {new['wallSeconds'] / old['wallSeconds']:.2f}x wall, "
              f"{new['cpuSeconds'] / old['cpuSeconds']:.2f}x CPU")
with open(out, "w") as f:
    json.dump({"runs": runs, "command": "wait on a stable service", "baselineJar": baseline_jar, "results": results}, f, indent=2)
    f.write("\n")
print(f"Written {out}")
