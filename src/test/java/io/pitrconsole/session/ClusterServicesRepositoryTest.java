package io.pitrconsole.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.S3Options;
import io.pitrconsole.repository.s3.S3ProxyExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One opened repository per ClusterServices: every service shares it, and close() releases it. */
class ClusterServicesRepositoryTest {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("HOME", tmp.toString());
        return env;
    }

    private ClusterServices services(ArchiveLocation archive) {
        return new ClusterServices(() -> Optional.of("main"), archive, () -> { throw new AssertionError("no server here"); },
                () -> PgContext.class.cast(null), env());
    }

    @Test
    void everyServiceSharesTheRepositoryOpenedOnce() {
        String location = "s3://" + s3.newBucket() + "/main";
        S3Options options = new S3Options(s3.endpoint().toString(), null, true);
        AtomicInteger opened = new AtomicInteger();
        try (ClusterServices services = services(() -> {
            opened.incrementAndGet();
            return ClusterServices.openRepository(location, options, env());
        })) {
            Repository first = services.repository();
            services.backups();
            services.windows();
            services.restores();
            services.cleanup();
            services.scheduleSettings();
            services.health(false);
            assertThat(services.repository()).isSameAs(first);
            assertThat(opened).hasValue(1);
            first.requireReadable();
        }
    }

    @Test
    void closeClosesTheOpenedRepositoryOnceAndALaterCallOpensAnother() {
        String location = "s3://" + s3.newBucket() + "/main";
        S3Options options = new S3Options(s3.endpoint().toString(), null, true);
        List<String> closed = new ArrayList<>();
        AtomicInteger opened = new AtomicInteger();
        ClusterServices services = services(() -> watchingClose(
                ClusterServices.openRepository(location, options, env()), "repository " + opened.incrementAndGet(), closed));
        Repository first = services.repository();
        first.requireReadable();
        services.close();
        assertThat(closed).containsExactly("repository 1");
        services.close();
        assertThat(closed).as("closed once").containsExactly("repository 1");
        // work that outlived the close (a page of the profile left behind) opens its own, released at the next close
        Repository again = services.repository();
        assertThat(again).isNotSameAs(first);
        again.requireReadable();
        services.close();
        assertThat(closed).containsExactly("repository 1", "repository 2");
    }

    // the real repository, with its close() noted: an S3 client works on after close(), so closing is seen here
    private static Repository watchingClose(Repository real, String name, List<String> closed) {
        return (Repository) Proxy.newProxyInstance(Repository.class.getClassLoader(), new Class<?>[] {Repository.class, AutoCloseable.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        closed.add(name);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aRepositoryThatCouldNotBeOpenedIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        Path dir = tmp.resolve("archive");
        try (ClusterServices services = services(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new PitrException("profile 'main' has no archive directory", "set one under Settings > Profiles");
            }
            return ClusterServices.openRepository(dir.toString(), S3Options.NONE, env());
        })) {
            assertThatThrownBy(services::repository).isInstanceOf(PitrException.class).hasMessageContaining("no archive");
            assertThat(services.repository().location().toString()).isEqualTo(dir.toString());
            assertThat(services.repository()).isSameAs(services.repository());
            assertThat(calls).hasValue(2);
        }
    }
}
