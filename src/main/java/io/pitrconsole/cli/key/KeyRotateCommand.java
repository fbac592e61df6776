package io.pitrconsole.cli.key;

import io.pitrconsole.cli.CliContext;
import io.pitrconsole.cli.InterruptGuard;
import io.pitrconsole.cli.ProgressPrinter;
import io.pitrconsole.cli.Verb;
import io.pitrconsole.repository.encryption.KeyChange;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rotate", description = "Re-encrypt every backup file and WAL file of the repository to a new key, which then alone"
        + " reads it; the current key is given as usual (--encryption-key-file, profile, PITR_ENCRYPTION_KEY_FILE)."
        + " Interrupted, it leaves every file readable with the old or the new key; run it again to finish.")
public final class KeyRotateCommand extends Verb {
    @Option(names = "--new-key-file", paramLabel = "FILE", required = true, description = "the new key file (`key create FILE`)")
    Path newKeyFile;

    KeyRotateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        // an interrupted rotation recorded the new key already: the repository opens with either
        alsoReadWith(newKeyFile);
        KeyChange change = services().keyChange();
        try (InterruptGuard guard = InterruptGuard.install("key rotate", 60)) {
            ProgressPrinter progress = new ProgressPrinter(ctx.err(), System.console() != null);
            KeyChange.Outcome o = change.rotate(newKeyFile, progress, guard.cancellation());
            progress.done();
            ctx.out().println("key " + o.from() + " -> " + o.to());
            ctx.out().printf("WAL files: %d re-encrypted, %d already under the new key%n", o.walRewritten(), o.walAlready());
            ctx.out().printf("backup files: %d re-encrypted, %d already under the new key%n", o.backupFilesRewritten(), o.backupFilesAlready());
            ctx.out().println(script(o));
            ctx.out().println("from now on only the key file " + newKeyFile + " reads this repository: keep a copy of it somewhere safe");
        }
        return 0;
    }

    static String script(KeyChange.Outcome o) {
        return o.archiveScript().map(c -> "archive_command script re-installed (compression " + c + "): the server encrypts to " + o.to())
                .orElse("no archive_command script of the console is installed for this repository: none re-installed"
                        + " (a server archiving here elsewhere needs `archiving apply` again)");
    }
}
