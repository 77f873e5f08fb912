package events.jitsi.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Collections;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/** The credentials drop-down and its check, with the permission checks the credentials plugin's consumer guide asks for. */
final class CredentialsIds {
    private CredentialsIds() {
    }

    /**
     * The form check of a credentials field: under the same permission checks, says when the id names no credential
     * of the right kind that this item can use. A {@code ${PARAMETER}} id is resolved only when the build runs.
     */
    static FormValidation check(Item item, String value, Class<? extends IdCredentials> type, boolean required) {
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return FormValidation.ok();
        }
        if (value == null || value.isBlank()) {
            return required ? FormValidation.error("Choose a credential.")
                    : FormValidation.ok("None: the controller's default AWS credentials (environment, profile or instance role) are used.");
        }
        if (value.startsWith("${") && value.endsWith("}")) {
            return FormValidation.warning("A parameter expression is resolved when the build runs; it cannot be checked here.");
        }
        Authentication authentication = item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
        if (CredentialsProvider.listCredentialsInItem(type, item, authentication, Collections.emptyList(),
                CredentialsMatchers.withId(value)).isEmpty()) {
            return FormValidation.error("No credential with this id, of the kind this step needs, is available here.");
        }
        return FormValidation.ok();
    }

    static ListBoxModel fill(Item item, String credentialsId, Class<? extends StandardCredentials> type) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(credentialsId);
            }
        } else if (!item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(credentialsId);
        }
        Authentication authentication = item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
        return result.includeEmptyValue()
                .includeMatchingAs(authentication, item, type, Collections.emptyList(), CredentialsMatchers.always())
                .includeCurrentValue(credentialsId);
    }
}
