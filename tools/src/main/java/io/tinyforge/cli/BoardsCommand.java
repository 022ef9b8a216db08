package io.tinyforge.cli;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code gen-firmware boards}: every board descriptor with its core, memories and counter. */
@Command(name = "boards", mixinStandardHelpOptions = true,
    description = "List the boards (boards/<name>/board.json) with their core, memories and counter.")
final class BoardsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BoardRegistry registry = BoardRegistry.load(RepoRoot.find());
    PrintWriter out = spec.commandLine().getOut();
    for (String name : registry.names()) {
      Board b = registry.get(name);
      out.printf("%-18s %-11s counter: %s (%s)%n", b.name(), b.core(), b.counter().kind(), b.counter().unit());
      if (!b.aliases().isEmpty()) {
        out.printf("    also: %s%n", String.join(", ", b.aliases()));
      }
      b.uart().connection().ifPresent(c -> out.printf("    console: %s%n", c));
      for (Board.Memory m : b.memories()) {
        String role = roles(b, m.name());
        out.printf("    %-8s 0x%08x %,11d bytes  %-5s %s%n", m.name(), m.origin(), m.length(),
            m.kind().name().toLowerCase(), role);
      }
    }
    out.flush();
    return 0;
  }

  private static String roles(Board b, String memory) {
    StringBuilder sb = new StringBuilder();
    if (b.codeMemory().filter(memory::equals).isPresent()) {
      sb.append("code ");
    }
    if (b.weightsMemory().filter(memory::equals).isPresent()) {
      sb.append("weights ");
    }
    if (b.ramMemory().filter(memory::equals).isPresent()) {
      sb.append("data/stack ");
    }
    int rank = 0;
    for (Board.ArenaMemory a : b.arenaMemories()) {
      rank++;
      if (a.memory().equals(memory) && a.external()) {
        sb.append("external, only on request: arena (--region-limit) and inputs (--input-memory) ");
      } else if (a.memory().equals(memory)) {
        sb.append("arena (").append(rank == 1 ? "fastest" : "#" + rank).append(") ");
      }
    }
    if (b.arenaMemories().isEmpty() && b.arenaMemory().filter(memory::equals).isPresent()) {
      sb.append("arena ");
    }
    b.flexram().ifPresent(f -> {
      if (f.dtcmMemory().equals(memory) || f.ocramMemory().equals(memory)) {
        sb.append("(length after reset; the model sets the FlexRAM split) ");
      }
    });
    return sb.toString().trim();
  }
}
