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
runs = 7
env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDBENCH", AWS_SECRET_ACCESS_KEY="bench-secret", AWS_DEFAULT_REGION="eu-central-1",
           AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="")
sim = subprocess.Popen(["java", "-jar", jar, "--json", "simulator"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    endpoint = json.loads(sim.stdout.readline())["endpoint"]
    target = ["--cluster", "jitsi-cluster"]
    tools = {
        "events-jitsi (bin/events-jitsi launcher)": ["bin/events-jitsi", "--endpoint-url", endpoint, "wait", *target, "--service", "jitsi"],
        "events-jitsi (java -jar)": ["java", "-jar", jar, "--endpoint-url", endpoint, "wait", *target, "--service", "jitsi"],
        # Debian's awscli (v2) when installed, else whatever `aws` is on PATH.
        "aws ecs wait services-stable": ["/usr/bin/aws" if os.path.exists("/usr/bin/aws") else "aws", "ecs", "wait", "services-stable", "--endpoint-url", endpoint, *target, "--services", "jitsi"],
    }
    # The launcher's first run of a new jar builds its class-data archive; measure the runs after it, as a user sees them.
    subprocess.run(tools["events-jitsi (bin/events-jitsi launcher)"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = {}
    for name, argv in tools.items():
        if shutil.which(argv[0]) is None and not os.path.exists(argv[0]):
            results[name] = None
            continue
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            code = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
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
with open(out, "w") as f:
    json.dump({"runs": runs, "command": "wait on a stable service", "results": results}, f, indent=2)
    f.write("\n")
print(f"Written {out}")
