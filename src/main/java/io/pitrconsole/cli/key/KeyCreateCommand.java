package io.pitrconsole.cli.key;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.repository.encryption.EncryptionKey;
import io.pitrconsole.session.ClusterServices;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Write a new key file (age identity, readable by its owner only) and print its fingerprint and recipient.")
public final class KeyCreateCommand extends Verb {
    @Parameters(paramLabel = "FILE", description = "the new key file; an existing file is never replaced")
    Path file;

    KeyCreateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        EncryptionKey key = ClusterServices.createKey(file, ctx.env());
        ctx.out().println("key file:    " + key.file());
        ctx.out().println("fingerprint: " + key.fingerprint());
        ctx.out().println("recipient:   " + key.recipient());
        ctx.err().println("warning: keep a copy of " + key.file() + " somewhere safe, away from the repository: without it nothing"
                + " encrypted with it can be read, and no one can recover it");
        return 0;
    }
}
