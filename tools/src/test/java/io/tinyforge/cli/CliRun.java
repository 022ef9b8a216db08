package io.tinyforge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of the gen-firmware CLI, as the tests see it: exit code, standard output, standard error. */
public record CliRun(int code, String out, String err) {
  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenFirmware.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  public static CliRun of(List<String> args) {
    return of(args.toArray(String[]::new));
  }
}
