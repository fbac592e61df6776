package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ServerShell;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.RestoreDecompression;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The WAL archive of an encrypted repository: the same files under the same names, each encrypted
 * with age. Readers get plain bytes from {@link #open}; nothing is a plain local file, so readers
 * that map files read a stream instead. Stores through the repository's own WAL archive, which
 * keeps its rule that a name is never given different content.
 */
final class EncryptedWalStore implements WalStore {
    private final WalStore inner;
    private final EncryptedRepository repository;

    EncryptedWalStore(WalStore inner, EncryptedRepository repository) {
        this.inner = inner;
        this.repository = repository;
    }

    @Override
    public List<WalFile> list() {
        return inner.list();
    }

    @Override
    public InputStream open(String name) throws IOException {
        return repository.decrypting(inner.localFile(name), () -> inner.open(name), repository.keys(),
                "the archived WAL file " + name + " (" + inner.describe() + ")");
    }

    /** Listed sizes are the encrypted files' sizes: age adds a header and a tag per 64 KiB chunk. */
    @Override
    public boolean listsContentSizes() {
        return false;
    }

    @Override
    public void put(String name, InputStream content) throws IOException {
        repository.recordEncryption();
        byte[] plain = content.readAllBytes();
        try (InputStream existing = open(name)) {
            if (!Arrays.equals(existing.readAllBytes(), plain)) {
                throw new PitrException("refusing to overwrite " + name + " in " + inner.describe() + ": it differs from the file being archived",
                        "an archive never gets two different files of one name; find out which server writes into it");
            }
            return;
        } catch (NoSuchFileException absent) {
            // not there yet: stored below
        }
        ByteArrayOutputStream sealed = new ByteArrayOutputStream(plain.length + 4096);
        try (OutputStream out = repository.age().encrypting(sealed, repository.recipients())) {
            out.write(plain);
        }
        inner.put(name, new ByteArrayInputStream(sealed.toByteArray()));
    }

    @Override
    public boolean delete(String name) throws IOException {
        return inner.delete(name);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public ArchiveCommand archiveCommand() {
        ArchiveCommand encrypting = inner.archiveCommand().encrypting(repository.serverEncryption());
        return new ArchiveCommand() {
            @Override
            public String setting() {
                return encrypting.setting();
            }

            @Override
            public Path script() {
                return encrypting.script();
            }

            @Override
            public String render(String compression) {
                return encrypting.render(compression);
            }

            @Override
            public Optional<Path> install(String compression) {
                // from the moment the server can archive here, the repository says it is encrypted
                repository.recordEncryption();
                return encrypting.install(compression);
            }

            @Override
            public boolean installed() {
                return encrypting.installed();
            }

            @Override
            public boolean ownScript() {
                return encrypting.ownScript();
            }
        };
    }

    @Override
    public String restoreCommand(Optional<Path> staged) {
        return inner.restoreCommand(staged, repository.serverEncryption());
    }

    @Override
    public String restoreCommand(Optional<Path> staged, io.pitrconsole.repository.ServerEncryption encryption) {
        return inner.restoreCommand(staged, encryption);
    }

    @Override
    public RestoreDecompression restoreDecompression(List<String> names) {
        RestoreDecompression d = inner.restoreDecompression(names);
        // age runs by its full path, checked with the key files as the server's OS user (checkServerCanRead)
        return new RestoreDecompression(d.programs(), "restore_command decrypts each WAL file with " + repository.age().path()
                + " first; " + d.detail().replace("restore_command copies them", "nothing to decompress"));
    }

    @Override
    public void checkServerCanRead(ServerShell shell, List<String> names) {
        inner.checkServerCanRead(shell, names);
        // restore_command decrypts on the server's host: without age or the key there, every file is "missing" to the server
        io.pitrconsole.repository.ServerEncryption e = repository.serverEncryption();
        List<String> args = new java.util.ArrayList<>(List.of(e.age().toString()));
        e.keyFiles().forEach(k -> args.add(k.toString()));
        ServerShell.Result r = shell.run("[ -x \"$1\" ] || { printf 'age:%s\\n' \"$1\"; exit 3; }; shift;"
                + " for k in \"$@\"; do [ -r \"$k\" ] || { printf 'key:%s\\n' \"$k\"; exit 3; }; done", args);
        if (r.exitCode() != 0) {
            String who = shell.switchesUser() ? "OS user " + shell.user() : "this user";
            String what = r.stdout().strip();
            if (what.startsWith("age:")) {
                throw new PitrException(who + " cannot run " + what.substring(4) + ", which decrypts the archived WAL in the server's restore_command",
                        "install the age package on the server's host (apt install age)");
            }
            String key = what.startsWith("key:") ? what.substring(4) : String.join(", ", e.keyFiles().stream().map(Path::toString).toList());
            throw new PitrException(who + " cannot read the encryption key file " + key + ", which the server's restore_command decrypts the archived WAL with",
                    "let the server's OS user read the key file (e.g. chgrp postgres " + key + " && chmod 640 " + key
                            + "); a restore_command that cannot decrypt takes every file for missing and recovery would end early");
        }
    }

    @Override
    public void checkServerCanWrite(ServerShell shell) {
        inner.checkServerCanWrite(shell);
    }
}
