package io.pitrconsole.cli.key;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.session.ClusterServices;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Print a key file's fingerprint and recipient (its public half; never the key itself).")
public final class KeyShowCommand extends Verb {
    @Parameters(paramLabel = "FILE", description = "a key file")
    Path file;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    KeyShowCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        EncryptionKey key = ClusterServices.readKey(file, ctx.env());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", key.file().toString());
            m.put("fingerprint", key.fingerprint().value());
            m.put("recipient", key.recipient());
            printJson(m);
            return 0;
        }
        ctx.out().println("key file:    " + key.file());
        ctx.out().println("fingerprint: " + key.fingerprint());
        ctx.out().println("recipient:   " + key.recipient());
        return 0;
    }
}
