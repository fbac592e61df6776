package io.pitrconsole.pg;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;

/**
 * Hands files to the server's OS user: restored data directories, sandboxes, the practice cluster,
 * a new WAL archive directory. The console runs as root on many servers while postgres refuses to:
 * everything the server must write is chowned, never following a link out of the tree. The one
 * place that changes owners; nothing to do unless we run as root for another user.
 */
public final class ServerUserFiles {
    private final OsUser user;

    public ServerUserFiles(OsUser user) {
        this.user = user;
    }

    /** Makes the tree owned by the server user; nothing to do unless we run as root for another user. */
    public void giveTree(Path root) {
        if (!user.switchesUser()) {
            return;
        }
        UserPrincipal owner = owner(root);
        try {
            // A file that goes while the tree is walked (a WAL copy staged or taken meanwhile) has no owner left to change.
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    try {
                        chown(dir, owner);
                    } catch (NoSuchFileException gone) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    try {
                        chown(file, owner);
                    } catch (NoSuchFileException gone) {
                        // gone meanwhile
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new PitrException("could not hand " + root + " to OS user " + user.name() + ": " + e.getMessage(),
                    "check that the user exists and that this file system allows changing owners");
        }
    }

    /** Hands a single file or directory (not its contents) to the server user. */
    public void giveOne(Path path) {
        if (!user.switchesUser()) {
            return;
        }
        try {
            chown(path, owner(path));
        } catch (IOException e) {
            throw new PitrException("could not hand " + path + " to OS user " + user.name() + ": " + e.getMessage(),
                    "check that the user exists");
        }
    }

    /**
     * Gives a directory (and with tree, everything in it) the owner and group of model, the
     * directory it replaces: initdb made that one the server user's and its group's, and a
     * restored cluster must not end up with root's group.
     */
    public void giveLike(Path root, Path model, boolean tree) {
        if (!user.switchesUser()) {
            return;
        }
        PosixFileAttributes like;
        try {
            like = Files.readAttributes(model, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new PitrException("cannot read the owner of " + model + ": " + e.getMessage(), "check that it still exists");
        }
        try {
            if (!tree) {
                chown(root, like.owner(), like.group());
                return;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    chown(dir, like.owner(), like.group());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    chown(file, like.owner(), like.group());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new PitrException("could not give " + root + " the owner and group of " + model + ": " + e.getMessage(),
                    "check that this file system allows changing owners");
        }
    }

    private static void chown(Path p, UserPrincipal owner, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(owner);
        view.setGroup(group);
    }

    private UserPrincipal owner(Path anyPath) {
        try {
            return anyPath.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user.name());
        } catch (IOException e) {
            throw new PitrException("OS user " + user.name() + " does not exist",
                    Hint.of("pass the user the server runs as with --os-user", "set the profile's OS user (Settings) to the user the server runs as"));
        }
    }

    private static void chown(Path p, UserPrincipal owner) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(owner);
    }
}
