package org.heard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.heard.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store, the spool and the key are for Heard's own user only (the data directory is 0700, its
 * files 0600), and an upload left behind by a crash does not stay.
 */
class DataDirectoryModeTest {
  @TempDir
  Path dir;

  @Test
  void everythingUnderTheDataDirectoryIsOwnerOnly() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("left-by-an-operator.txt"), "world-readable before Heard starts");
    Files.setPosixFilePermissions(data.resolve("left-by-an-operator.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path leftover = data.resolve("uploads").resolve("file-upload-left-by-a-crash");
    Files.createDirectories(leftover.getParent());
    Files.writeString(leftover, "serial,ward,what_would_help\nP1,E05000001,typed-up answers\n");
    try (TestServer heard = TestServer.start(dir, Map.of())) {
      assertEquals(201, heard.postResponse("sms-pulse", "mode-check",
          "{\"answers\": {\"feel_safe_now\": 3, \"ward\": \"E05000002\"}}").statusCode());
      List<Path> all;
      try (Stream<Path> walk = Files.walk(data)) {
        all = walk.toList();
      }
      assertTrue(all.size() > 3, "the store, the spool and the key are there: " + all);
      assertTrue(Files.notExists(leftover), "an upload left by a crash is deleted at start-up");
      for (Path path : all) {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
        if (path.getFileName().toString().startsWith("spool-") && !mode.contains(PosixFilePermission.OTHERS_READ)) {
          continue;  // a segment opened after start-up is owner-only by the next sweep; none is readable by others
        }
        assertEquals(expected, PosixFilePermissions.toString(mode), data.relativize(path).toString());
      }
    }
  }
}
