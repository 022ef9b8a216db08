package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Nearest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors as one line that names the nearest verb or option when the user mistyped one (instead of picocli's
 * usage dump, whose suggestions can name an unrelated option).
 */
final class Typos {
  private Typos() {}

  /** picocli's parameter exception handler: prints one line and returns exit code 2. */
  static int handle(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    String line = verbTypo(cl, args).orElseGet(() -> optionTypo(ex).orElse(ex.getMessage()));
    String help = cl.getCommandSpec().qualifiedName() + " --help";
    boolean suggests = line.contains("did you mean") || line.contains("--help");
    cl.getErr().println("error: " + line + (suggests ? "" : "; " + help + " lists the usage"));
    cl.getErr().flush();
    return TinyforgeException.EXIT_BAD_INPUT;
  }

  /**
   * Without a verb, the first word is taken as the model file: a word that is no file but is close to a verb was
   * meant as that verb.
   */
  static void refuseMistypedVerb(Path model, CommandSpec spec) {
    if (model != null && !Files.exists(model)) {
      verbTypoOf(model.toString(), spec.commandLine()).ifPresent(m -> {
        throw new TinyforgeException(m);
      });
    }
  }

  private static Optional<String> verbTypo(CommandLine cl, String[] args) {
    if (cl.getParent() != null) {
      return Optional.empty();
    }
    for (String a : args) {
      if (!a.startsWith("-") && !Files.exists(Path.of(a))) {
        Optional<String> m = verbTypoOf(a, cl);
        if (m.isPresent()) {
          return m;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> verbTypoOf(String word, CommandLine root) {
    if (word.contains("/") || word.contains(".")) {
      return Optional.empty();
    }
    return Nearest.of(word, new ArrayList<>(root.getSubcommands().keySet()))
        .map(v -> "unknown verb '" + word + "'; did you mean " + v + "? (gen-firmware --help lists the verbs)");
  }

  private static Optional<String> optionTypo(ParameterException ex) {
    if (!(ex instanceof UnmatchedArgumentException u)) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    for (OptionSpec o : ex.getCommandLine().getCommandSpec().options()) {
      names.addAll(List.of(o.names()));
    }
    for (String arg : u.getUnmatched()) {
      if (arg.startsWith("-")) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
        return Optional.of(Nearest.of(name, names)
            .map(n -> "unknown option '" + name + "'; did you mean " + n + "?")
            .orElse("unknown option '" + name + "' for " + cmd));
      }
    }
    return Optional.of("unexpected argument '" + u.getUnmatched().get(0) + "'");
  }
}
