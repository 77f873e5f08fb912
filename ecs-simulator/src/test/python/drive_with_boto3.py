"""Drives the ECS simulator with boto3, an independent client whose botocore model is ECS's own: every operation the
engine uses must be accepted with the parameters ECS takes and answered in shapes botocore parses, and requests ECS
refuses must be refused. Run by SimulatorWithBoto3Test; prints one line per check and 'N passed, N failed'."""
import sys

import boto3
import botocore.exceptions

endpoint = sys.argv[1]
ecs = boto3.client("ecs", endpoint_url=endpoint, region_name="eu-central-1",
                   aws_access_key_id="AKIDBOTO", aws_secret_access_key="boto-secret")
passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def refused(name, code, call):
    try:
        call()
        check(name, False, "was accepted")
    except botocore.exceptions.ClientError as e:
        check(name, e.response["Error"]["Code"] == code, f"answered {e.response['Error']['Code']}: {e}")


clusters = ecs.describe_clusters(clusters=["jitsi-cluster"])["clusters"]
check("DescribeClusters", clusters[0]["clusterName"] == "jitsi-cluster" and clusters[0]["status"] == "ACTIVE")

service = ecs.describe_services(cluster="jitsi-cluster", services=["jitsi"])["services"][0]
primary = [d for d in service["deployments"] if d["status"] == "PRIMARY"][0]
check("DescribeServices", service["serviceName"] == "jitsi" and primary["rolloutState"] == "COMPLETED"
      and hasattr(primary["createdAt"], "year") and service["deploymentConfiguration"]["deploymentCircuitBreaker"]["enable"])

arns = ecs.list_task_definitions(familyPrefix="jitsi-meet-task", status="ACTIVE", sort="DESC")["taskDefinitionArns"]
check("ListTaskDefinitions matches the full family name", arns and all(a.split("/")[-1].startswith("jitsi-meet-task:") for a in arns), arns)
check("ListTaskDefinitions sorts DESC", [int(a.split(":")[-1]) for a in arns] == sorted([int(a.split(":")[-1]) for a in arns], reverse=True))

described = ecs.describe_task_definition(taskDefinition="jitsi-meet-task:12", include=["TAGS"])
td = described["taskDefinition"]
check("DescribeTaskDefinition", td["family"] == "jitsi-meet-task" and td["revision"] == 12 and hasattr(td["registeredAt"], "year"))

registration = {k: v for k, v in td.items() if k in (
    "family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions", "volumes", "placementConstraints",
    "requiresCompatibilities", "cpu", "memory", "pidMode", "ipcMode")}
registered = ecs.register_task_definition(**registration, tags=described.get("tags") or [{"key": "team", "value": "events"}])
new_arn = registered["taskDefinition"]["taskDefinitionArn"]
check("RegisterTaskDefinition", new_arn.endswith("jitsi-meet-task:13") and registered["taskDefinition"]["status"] == "ACTIVE")

refused("RegisterTaskDefinition refuses an unknown networkMode", "ClientException",
        lambda: ecs.register_task_definition(**dict(registration, networkMode="weird")))
refused("RegisterTaskDefinition refuses a memory that is not a size", "ClientException",
        lambda: ecs.register_task_definition(**dict(registration, memory="lots")))

updated = ecs.update_service(cluster="jitsi-cluster", service="jitsi", taskDefinition=new_arn, desiredCount=1,
                             deploymentConfiguration={"minimumHealthyPercent": 50, "maximumPercent": 150,
                                                      "deploymentCircuitBreaker": {"enable": True, "rollback": True}})["service"]
check("UpdateService starts a deployment", updated["taskDefinition"] == new_arn and len(updated["deployments"]) == 2)
check("UpdateService applies deploymentConfiguration", updated["deploymentConfiguration"]["minimumHealthyPercent"] == 50
      and updated["deploymentConfiguration"]["maximumPercent"] == 150)

fargate = ecs.register_task_definition(**dict(registration, networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                                              cpu="1024", memory="2048"))["taskDefinition"]["taskDefinitionArn"]
refused("UpdateService refuses an awsvpc definition without networkConfiguration", "InvalidParameterException",
        lambda: ecs.update_service(cluster="jitsi-cluster", service="matrix", taskDefinition=fargate))

tasks = ecs.list_tasks(cluster="jitsi-cluster", serviceName="jitsi")["taskArns"]
check("ListTasks", len(tasks) >= 1)
described_tasks = ecs.describe_tasks(cluster="jitsi-cluster", tasks=tasks)["tasks"]
check("DescribeTasks", all(t["taskArn"] in tasks for t in described_tasks) and described_tasks[0]["lastStatus"] in ("PENDING", "RUNNING"))
stopped = ecs.list_tasks(cluster="jitsi-cluster", startedBy=updated["deployments"][0]["id"], desiredStatus="STOPPED")
check("ListTasks by startedBy and desiredStatus", "taskArns" in stopped)

deregistered = ecs.deregister_task_definition(taskDefinition=fargate)["taskDefinition"]
check("DeregisterTaskDefinition", deregistered["status"] == "INACTIVE")
refused("UpdateService refuses an INACTIVE definition", "InvalidParameterException",
        lambda: ecs.update_service(cluster="jitsi-cluster", service="matrix", taskDefinition=fargate))
refused("DescribeServices in an unknown cluster", "ClusterNotFoundException",
        lambda: ecs.describe_services(cluster="nope", services=["jitsi"]))

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
