package dev.bastion.audit;

/**
 * Which model served (or was asked for): the alias the client used, the model name sent upstream and the backend
 * id. Only the alias is required (a refused request never reached routing).
 */
public record ModelRoute(String alias, String upstreamModel, String backend) {
    public ModelRoute {
        alias = Fields.token("model.alias", alias);
        upstreamModel = Fields.optionalToken("model.upstream", upstreamModel);
        backend = Fields.optionalToken("model.backend", backend);
    }

    public static ModelRoute alias(String alias) {
        return new ModelRoute(alias, null, null);
    }
}
