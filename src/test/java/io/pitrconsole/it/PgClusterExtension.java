package io.pitrconsole.it;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one real PostgreSQL cluster, started before the first test and always
 * torn down after the last. Register it as a static field with {@code @RegisterExtension}.
 */
public final class PgClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final Map<String, String> settings;
    private PgTestCluster cluster;

    public PgClusterExtension() {
        this(Map.of());
    }

    public PgClusterExtension(Map<String, String> settings) {
        this.settings = settings;
    }

    public PgTestCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster starts before the first test of the class");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = PgTestCluster.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == PgTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return cluster();
    }
}
