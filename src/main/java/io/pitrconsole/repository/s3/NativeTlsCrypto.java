package io.pitrconsole.repository.s3;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Puts a native AES-GCM (the Amazon Corretto Crypto Provider, AWS-LC) first among the JVM's
 * crypto providers, so that the JDK's TLS decrypts and encrypts what a bucket sends and receives
 * natively. The JDK's own AES-GCM is Java code whose fast (intrinsic) form only the optimising JIT
 * compiler uses, and the launcher runs with the quick one alone (see bin/pitr-console): there it
 * ran at about 30 MB/s, and a restore from a bucket over HTTPS spent more CPU decrypting than on
 * anything else. Only a provider that loads, and then encrypts and decrypts a block correctly, is
 * kept; anywhere else (another OS or CPU, a temp directory mounted noexec, a JDK that refuses an
 * unsigned provider) the JDK's crypto stays, as before. PITR_CONSOLE_NATIVE_CRYPTO=0 turns it off.
 */
final class NativeTlsCrypto {
    private NativeTlsCrypto() {
    }

    /** Installs the native provider once per JVM when it works here; says which crypto TLS uses. */
    static String install(Map<String, String> env) {
        if ("0".equals(env.get("PITR_CONSOLE_NATIVE_CRYPTO"))) {
            return "the JDK's (PITR_CONSOLE_NATIVE_CRYPTO=0)";
        }
        try {
            Provider p = AmazonCorrettoCryptoProvider.INSTANCE;
            if (p.getName().equals(firstProviderName())) {
                return "native AES-GCM (" + p.getName() + ")";
            }
            Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            if (error != null) {
                return "the JDK's (the native one did not load: " + error.getMessage() + ")";
            }
            selfTest(p);
            Security.insertProviderAt(p, 1);
            return "native AES-GCM (" + p.getName() + ")";
        } catch (Exception | LinkageError e) {
            // a missing or broken native library, or a JDK policy refusing the provider: the JDK's crypto still works
            return "the JDK's (the native one is unusable here: " + e + ")";
        }
    }

    private static String firstProviderName() {
        Provider[] all = Security.getProviders();
        return all.length == 0 ? "" : all[0].getName();
    }

    /** One block each way through the provider's AES-GCM, as TLS uses it. */
    private static void selfTest(Provider p) throws Exception {
        SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
        GCMParameterSpec iv = new GCMParameterSpec(128, new byte[12]);
        byte[] plain = "pitr-console".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Cipher enc = Cipher.getInstance("AES/GCM/NoPadding", p);
        enc.init(Cipher.ENCRYPT_MODE, key, iv);
        byte[] sealed = enc.doFinal(plain);
        Cipher dec = Cipher.getInstance("AES/GCM/NoPadding", p);
        dec.init(Cipher.DECRYPT_MODE, key, iv);
        if (!java.util.Arrays.equals(plain, dec.doFinal(sealed))) {
            throw new IllegalStateException("AES-GCM self-test gave other bytes back");
        }
    }
}
