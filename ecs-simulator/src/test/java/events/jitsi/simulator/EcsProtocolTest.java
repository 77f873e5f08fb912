package events.jitsi.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire protocol as ECS speaks it, checked with a plain HTTP client (the SDK is checked in core's tests). */
class EcsProtocolTest {
    private final EcsSimulator sim = EcsSimulator.startDefault(Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), ZoneOffset.UTC));
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        sim.close();
    }

    private HttpResponse<String> call(String operation, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(sim.endpoint())
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void registeringADescribedTaskDefinitionAsIsIsRejected() throws Exception {
        JsonNode described = json.readTree(call("DescribeTaskDefinition", "{\"taskDefinition\":\"jitsi-meet-task:12\"}").body())
                .get("taskDefinition");
        HttpResponse<String> r = call("RegisterTaskDefinition", described.toString());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        JsonNode error = json.readTree(r.body());
        assertThat(error.get("__type").asText()).isEqualTo("ClientException");
        assertThat(error.get("message").asText()).contains("Unexpected field").contains("read-only");
        assertThat(sim.model().newestRevision("jitsi-meet-task")).isEqualTo(12);
    }

    @Test
    void timestampsAreEpochSecondsAndServicesCarryDeployments() throws Exception {
        JsonNode r = json.readTree(call("DescribeServices", "{\"cluster\":\"jitsi-cluster\",\"services\":[\"jitsi\",\"nope\"]}").body());
        JsonNode service = r.at("/services/0");
        assertThat(service.get("createdAt").isNumber()).isTrue();
        assertThat(service.at("/deployments/0/status").asText()).isEqualTo("PRIMARY");
        assertThat(service.at("/deployments/0/rolloutState").asText()).isEqualTo("COMPLETED");
        assertThat(service.get("taskDefinition").asText()).endsWith(":task-definition/jitsi-meet-task:12");
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("MISSING");
    }

    @Test
    void errorsUseEcsTypes() throws Exception {
        assertThat(json.readTree(call("DescribeServices", "{\"cluster\":\"nope\",\"services\":[\"jitsi\"]}").body())
                .get("__type").asText()).isEqualTo("ClusterNotFoundException");
        assertThat(json.readTree(call("DescribeServices", "{\"cluster\":\"jitsi-cluster\",\"services\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}").body())
                .get("__type").asText()).isEqualTo("InvalidParameterException");
        assertThat(json.readTree(call("UpdateService", "{\"cluster\":\"jitsi-cluster\",\"service\":\"jitsi\",\"taskDefinition\":\"jitsi-meet-task:99\"}").body())
                .get("message").asText()).isEqualTo("TaskDefinition not found.");
        assertThat(call("DeleteCluster", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void injectedFaultsAnswerBeforeTheOperation() throws Exception {
        sim.injectFault("DescribeServices", EcsSimulator.Fault.THROTTLING, 1);
        sim.injectFault("*", EcsSimulator.Fault.SERVER_ERROR, 1);
        HttpResponse<String> throttled = call("DescribeServices", "{\"cluster\":\"jitsi-cluster\",\"services\":[\"jitsi\"]}");
        HttpResponse<String> failed = call("ListTasks", "{\"cluster\":\"jitsi-cluster\"}");
        HttpResponse<String> fine = call("DescribeServices", "{\"cluster\":\"jitsi-cluster\",\"services\":[\"jitsi\"]}");

        assertThat(throttled.statusCode()).isEqualTo(400);
        assertThat(json.readTree(throttled.body()).get("__type").asText()).isEqualTo("ThrottlingException");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(fine.statusCode()).isEqualTo(200);
        assertThat(sim.calls()).containsExactly("DescribeServices", "ListTasks", "DescribeServices");
    }
}
