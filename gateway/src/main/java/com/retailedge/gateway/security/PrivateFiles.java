package com.retailedge.gateway.security;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Start-up checks that the data directory and every key, credential and PSK file are the gateway user's alone:
 * a file that group or others can read leaks device secrets to every other account on the box.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {}

    /** Creates the data directory with mode 0700 when missing; refuses an existing one open to group or others. */
    public static void prepareDataDir(Path dir) throws IOException {
        if (!Files.exists(dir) && isPosix()) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createDirectories(dir);
        requirePrivate(dir, "data directory", "data.dir", "chmod 700");
    }

    /** Refuses a key, credential or PSK file that is missing, or that group or others may read or write. */
    public static void requirePrivateFile(Path file, String what, String key) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    what + " " + file.toAbsolutePath() + " (" + key + ") does not exist or is not a file");
        }
        requirePrivate(file, what, key, "chmod 600");
    }

    /**
     * Takes group and others' rights off {@code root} and everything under it (files 0600, directories 0700): the
     * broker's session store and database files made by an earlier version, or copied in with a loose umask.
     */
    public static void restrictTree(Path root) throws IOException {
        if (!isPosix() || !Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                restrict(p);
            }
        }
    }

    private static void restrict(Path path) throws IOException {
        if (!isPosix() || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        permissions.addAll(Files.getPosixFilePermissions(path));
        if (permissions.removeAll(GROUP_OR_OTHERS)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static void requirePrivate(Path path, String what, String key, String fix) throws IOException {
        if (!isPosix()) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(permissions);
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new IOException(what + " " + path.toAbsolutePath() + " (" + key
                    + ") is open to group or others (mode " + PosixFilePermissions.toString(permissions) + "); run: "
                    + fix + " " + path.toAbsolutePath());
        }
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
