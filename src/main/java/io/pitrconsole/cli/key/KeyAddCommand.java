package io.pitrconsole.cli.key;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.repository.encryption.KeyChange;
import io.pitrconsole.repository.encryption.KeyFingerprint;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "add", description = "Encrypt new backups and WAL to a new key; files already stored stay under the old key,"
        + " so readers give both (--encryption-key-file NEW --encryption-old-key-file OLD).")
public final class KeyAddCommand extends Verb {
    @Option(names = "--new-key-file", paramLabel = "FILE", required = true, description = "the new key file (`key create FILE`)")
    Path newKeyFile;

    KeyAddCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        alsoReadWith(newKeyFile);
        KeyChange.Outcome o = services().keyChange().add(newKeyFile);
        ctx.out().println("new files are encrypted to key " + o.to() + " (was " + o.from() + ")");
        ctx.out().println(KeyRotateCommand.script(o));
        ctx.out().println("stored files keep their keys; the repository now lists " + String.join(", ",
                o.stillListed().stream().map(KeyFingerprint::value).toList()));
        ctx.out().println("read it with --encryption-key-file " + newKeyFile + " and --encryption-old-key-file for each older key file;"
                + " `key rotate` re-encrypts every file to one key");
        return 0;
    }
}
