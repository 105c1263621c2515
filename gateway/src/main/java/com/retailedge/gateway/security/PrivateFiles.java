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
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /** Creates the data directory with mode 0700 when missing; refuses an existing one open to group or others. */
    public static void prepareDataDir(Path dir) throws IOException {
        if (!Files.exists(dir) && isPosix()) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createDirectories(dir);
        requirePrivate(dir, "data directory", "data.dir", "chmod 700");
    }

    /** Refuses a key, credential or PSK file that is missing, or that group or others may read or write. */
    public static void requirePrivateFile(Path file, String what, String key) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(what + " " + file.toAbsolutePath() + " (" + key + ") does not exist or is not a file");
        }
        requirePrivate(file, what, key, "chmod 600");
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
            throw new IOException(what + " " + path.toAbsolutePath() + " (" + key + ") is open to group or others (mode "
                    + PosixFilePermissions.toString(permissions) + "); run: " + fix + " " + path.toAbsolutePath());
        }
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
