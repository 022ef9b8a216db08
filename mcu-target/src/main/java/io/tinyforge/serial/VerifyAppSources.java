package io.tinyforge.serial;

import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.model.Model;
import io.tinyforge.protocol.CProtocolEmitter;
import io.tinyforge.protocol.VerifyModelInfoEmitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The C side of verification for one model: writes the generated protocol code and the model info table into a
 * folder and names the sources and include folders the verification firmware needs besides the model itself.
 */
public record VerifyAppSources(List<Path> sources, List<Path> includeDirs) {
  /** The verification app's own folder, relative to the repository root. */
  public static final String APP_DIR = "firmware/app";
  /** The function the generated model calls after each operator (-DTF_OP_HOOK=...). */
  public static final String OP_HOOK = "tf_verify_op_done";

  public VerifyAppSources {
    sources = List.copyOf(sources);
    includeDirs = List.copyOf(includeDirs);
  }

  /**
   * Writes tf_protocol.[ch] (rendered by this module's build from the protocol.json its host side was generated
   * from) and the model's verify_model_info.c into {@code genDir}.
   */
  public static VerifyAppSources prepare(Path repoRoot, Model model, Path genDir) {
    List<Path> generated = CProtocolEmitter.emitBundled(genDir);
    Path info = VerifyModelInfoEmitter.emit(model, repoRoot, genDir);
    List<Path> sources = new ArrayList<>();
    sources.add(repoRoot.resolve(APP_DIR).resolve("verify_main.c"));
    generated.stream().filter(p -> p.toString().endsWith(".c")).forEach(sources::add);
    sources.add(info);
    return new VerifyAppSources(sources, List.of(genDir, repoRoot.resolve(APP_DIR)));
  }

  /** Adds these sources, include folders and the op-hook define to a build. */
  public FirmwareBuild addTo(FirmwareBuild build) {
    return addTo(build, true);
  }

  /**
   * Adds these sources and include folders to a build, with the op-hook define or without it (the model then runs
   * exactly as in a generated project: no call between operators; per-layer requests are refused).
   */
  public FirmwareBuild addTo(FirmwareBuild build, boolean opHook) {
    build.addSources(sources);
    includeDirs.forEach(build::addIncludeDir);
    return opHook ? build.define("TF_OP_HOOK", OP_HOOK) : build;
  }
}
