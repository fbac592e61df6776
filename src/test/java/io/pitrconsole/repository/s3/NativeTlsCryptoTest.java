package io.pitrconsole.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Security;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native AES-GCM that a bucket's TLS runs on: installed first among the providers where it loads
 * (Linux x86-64), and a TLS connection of the JDK's own then carries data intact through it.
 */
class NativeTlsCryptoTest {
    @TempDir
    Path dir;

    @Test
    void turnedOffItLeavesTheJdksCrypto() {
        assertThat(NativeTlsCrypto.install(Map.of("PITR_CONSOLE_NATIVE_CRYPTO", "0"))).startsWith("the JDK's");
    }

    @Test
    void aTlsConnectionCarriesDataIntactThroughTheNativeAesGcm() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the native provider is packaged for Linux x86-64 only");
        assertThat(NativeTlsCrypto.install(Map.of())).startsWith("native AES-GCM");
        assertThat(Security.getProviders()[0].getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        // a second call keeps the one installed
        assertThat(NativeTlsCrypto.install(Map.of())).startsWith("native AES-GCM");
        assertThat(Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals("AmazonCorrettoCryptoProvider"))).hasSize(1);

        SSLContext tls = selfSignedContext();
        byte[] sent = new byte[4 << 20];
        new Random(7).nextBytes(sent);
        try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0)) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(sent);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
                client.startHandshake();
                assertThat(client.getSession().getCipherSuite()).contains("GCM");
                byte[] got = new byte[sent.length];
                try (InputStream in = client.getInputStream()) {
                    new DataInputStream(in).readFully(got);
                }
                assertThat(MessageDigest.getInstance("SHA-256").digest(got)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(sent));
            }
            serving.get(30, TimeUnit.SECONDS);
        }
    }

    /** A key pair for localhost made by keytool, trusted by the same context. */
    private SSLContext selfSignedContext() throws Exception {
        Path store = dir.resolve("tls.p12");
        char[] pass = "test-only".toCharArray();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "t",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1", "-dname", "CN=localhost", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", new String(pass), "-keypass", new String(pass))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
