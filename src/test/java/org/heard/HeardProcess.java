package org.heard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.config.Config;

/**
 * A real Heard in a process of its own (what {@code java -jar} runs), so a test can SIGKILL it, or
 * give it file descriptors of its own. Its standard error is appended to {@code dir/stderr.txt}.
 */
public final class HeardProcess implements AutoCloseable {
  private final Process process;
  private final String url;

  private HeardProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts Heard on {@code dir/data} with the given surveys and environment; returns once it listens. */
  public static HeardProcess start(Path dir, Path surveys, Map<String, String> extraEnv) throws Exception {
    return start(dir, surveys, extraEnv, List.of("-Xmx256m"));
  }

  /** The same with these JVM options (a benchmark gives the README's start command's). */
  public static HeardProcess start(Path dir, Path surveys, Map<String, String> extraEnv, List<String> jvmOptions)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put(Config.HTTP_PORT, "0");
    env.put(Config.HTTP_HOST, "127.0.0.1");
    env.put(Config.DATA_DIR, dir.resolve("data").toString());
    env.put(Config.SURVEYS_DIR, surveys.toString());
    env.putAll(extraEnv);
    Path stderr = Files.createDirectories(dir).resolve("stderr.txt");
    builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    while (line != null && line.startsWith("[") && !line.startsWith("Heard listening on ")) {
      line = out.readLine();  // the JVM's own notes (a flight recording's start, say)
    }
    if (line == null || !line.startsWith("Heard listening on ")) {
      process.destroyForcibly();
      throw new AssertionError("did not start: " + line + " / " + Files.readString(stderr));
    }
    return new HeardProcess(process, line.substring("Heard listening on ".length()));
  }

  /** The operating system's id of the process (to read its CPU time and resident set from /proc). */
  public long pid() {
    return process.pid();
  }

  public String url() {
    return url;
  }

  /** SIGKILL: no shutdown hook, no flush. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("Heard did not die");
    }
  }

  /** SIGTERM, as an operator stops it; waits for the clean stop. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("Heard did not stop in 30 s");
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }
}
