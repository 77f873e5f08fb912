package events.jitsi

/**
 * What the jobs in vars/ have in common: their settings (defaults overridden by the Jenkinsfile, unknown names
 * refused), the AWS arguments they pass on, and where their workspace stages run.
 */
class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L

    /** The defaults with the job's settings over them; a name the job does not take fails the build and says which it takes. */
    static Map merge(def steps, String job, Map defaults, Map config) {
        for (String key : config.keySet()) {
            if (!defaults.containsKey(key)) {
                steps.error("${job} does not take '${key}'; it takes: ${defaults.keySet().sort().join(', ')}")
            }
        }
        Map settings = [:]
        settings.putAll(defaults)
        settings.putAll(config)
        return settings
    }

    /** The region, credentialsId and endpointUrl that were set, as step arguments. */
    static Map aws(Map settings) {
        Map aws = [:]
        for (String key : ['region', 'credentialsId', 'endpointUrl']) {
            if (settings[key]) {
                aws[key] = settings[key]
            }
        }
        return aws
    }

    /** Runs {@code body} on an agent with {@code label}, or on any agent. */
    static void onAgent(def steps, String label, Closure body) {
        if (label) {
            steps.node(label, body)
        } else {
            steps.node(body)
        }
    }
}
