"""Drives the ECS simulator with boto3, an independent client whose botocore model is ECS's own: every operation the
engine uses must be accepted with the parameters ECS takes and answered in shapes botocore parses, and requests ECS
refuses must be refused. Run by SimulatorWithBoto3Test; prints one line per check and 'N passed, N failed'."""
import json
import sys
import time

import boto3
import botocore.exceptions

endpoint = sys.argv[1]
ecs = boto3.client("ecs", endpoint_url=endpoint, region_name="eu-central-1",
                   aws_access_key_id="AKIDBOTO", aws_secret_access_key="boto-secret")
passed, failed = 0, 0
model = ecs.meta.service_model
unknown_members = []
answers_checked = []


def members_outside(value, shape, path):
    """Every member of a raw JSON answer must be one that botocore's ECS model names (the API's own description)."""
    if shape.type_name == "structure" and isinstance(value, dict):
        for key, inner in value.items():
            if key not in shape.members:
                unknown_members.append(f"{path}.{key}")
            else:
                members_outside(inner, shape.members[key], f"{path}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, inner in enumerate(value):
            members_outside(inner, shape.member, f"{path}[{i}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, inner in value.items():
            members_outside(inner, shape.value, f"{path}.{key}")


def check_raw_answer(http_response, model, **kwargs):
    if http_response.status_code == 200 and model.output_shape is not None:
        answers_checked.append(model.name)
        members_outside(json.loads(http_response.content), model.output_shape, model.name)


ecs.meta.events.register("after-call.ecs.*", lambda http_response, model, **kw: check_raw_answer(http_response, model))


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

created = ecs.describe_services(cluster="jitsi-cluster", services=["jitsi"])["services"][0]
check("DescribeServices carries createdBy and each deployment's createdAt and updatedAt", created.get("createdBy", "").startswith("arn:aws:iam::")
      and all("createdAt" in d and "updatedAt" in d for d in created["deployments"]))
task = ecs.describe_tasks(cluster="jitsi-cluster", tasks=ecs.list_tasks(cluster="jitsi-cluster", serviceName="jitsi")["taskArns"])["tasks"][0]
check("DescribeTasks carries group, startedBy and the container instance", task["group"] == "service:jitsi" and task["startedBy"].startswith("ecs-svc/")
      and task["containerInstanceArn"].startswith("arn:aws:ecs:"))

# A crashing container: the stopped task names the container with its exit code.
staging = ecs.describe_task_definition(taskDefinition="jitsi-meet-task-staging:5")["taskDefinition"]
crashing = {k: v for k, v in staging.items() if k in ("family", "networkMode", "containerDefinitions", "volumes", "cpu", "memory")}
crashing["containerDefinitions"] = [dict(c, image="jitsi/prosody:crashing") if c["name"] == "prosody" else c for c in crashing["containerDefinitions"]]
crash_arn = ecs.register_task_definition(**crashing)["taskDefinition"]["taskDefinitionArn"]
deployment = ecs.update_service(cluster="jitsi-staging-cluster", service="jitsi", taskDefinition=crash_arn)["service"]["deployments"][0]["id"]
stopped = []
for _ in range(120):
    stopped = ecs.list_tasks(cluster="jitsi-staging-cluster", startedBy=deployment, desiredStatus="STOPPED")["taskArns"]
    if stopped:
        break
    time.sleep(0.5)
crashed = ecs.describe_tasks(cluster="jitsi-staging-cluster", tasks=stopped)["tasks"] if stopped else []
prosody = [c for t in crashed for c in t["containers"] if c["name"] == "prosody"]
check("A stopped task names the exited container with its exit code", bool(prosody) and prosody[0].get("exitCode") == 1
      and crashed[0]["stoppedReason"] == "Essential container in task exited", crashed)

check("ListServices", ecs.list_services(cluster="jitsi-cluster")["serviceArns"][0].endswith("service/jitsi-cluster/jitsi"))
check("ListClusters", len(ecs.list_clusters()["clusterArns"]) == 2)
instances = ecs.list_container_instances(cluster="jitsi-cluster")["containerInstanceArns"]
described_instances = ecs.describe_container_instances(cluster="jitsi-cluster", containerInstances=instances)["containerInstances"]
check("ListContainerInstances and DescribeContainerInstances", len(described_instances) == 2
      and all(i["ec2InstanceId"].startswith("i-") and i["agentConnected"] for i in described_instances))
ecs.tag_resource(resourceArn=created["serviceArn"], tags=[{"key": "team", "value": "events"}])
check("TagResource and ListTagsForResource", ecs.list_tags_for_resource(resourceArn=created["serviceArn"])["tags"] == [{"key": "team", "value": "events"}])
refused("ListTasks refuses maxResults 0", "InvalidParameterException", lambda: ecs.list_tasks(cluster="jitsi-cluster", maxResults=0))
refused("ListTasks refuses a token it did not give", "InvalidParameterException", lambda: ecs.list_tasks(cluster="jitsi-cluster", nextToken="x"))
refused("ListTasks of an unknown service", "ServiceNotFoundException", lambda: ecs.list_tasks(cluster="jitsi-cluster", serviceName="nope"))
refused("UpdateService refuses minimumHealthyPercent above 100", "InvalidParameterException",
        lambda: ecs.update_service(cluster="jitsi-cluster", service="jitsi", deploymentConfiguration={"minimumHealthyPercent": 150}))
refused("RegisterTaskDefinition refuses a container without memory", "ClientException",
        lambda: ecs.register_task_definition(family="probe", containerDefinitions=[{"name": "web", "image": "jitsi/web"}]))
refused("RegisterTaskDefinition refuses Fargate with bridge networking", "ClientException",
        lambda: ecs.register_task_definition(family="probe", networkMode="bridge", requiresCompatibilities=["FARGATE"], cpu="256",
                                             memory="512", containerDefinitions=[{"name": "web", "image": "jitsi/web"}]))

check("Every answer has only members of ECS's model", not unknown_members and len(set(answers_checked)) >= 15,
      (unknown_members, sorted(set(answers_checked))))
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
