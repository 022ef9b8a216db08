package io.tinyforge.protocol;

import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Tensor;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@code verify_model_info.c} for the verification firmware: the shapes and quantization of the model's
 * inputs and outputs (sent in HELLO) and the output tensor of each operator (used by the per-op hook), taken from
 * the .tflite through the graph IR so they do not depend on the code generator's own tables.
 */
public final class VerifyModelInfoEmitter {
  public static final String TEMPLATE = "verify_model_info.c.ftl";
  public static final String OUTPUT = "verify_model_info.c";

  private VerifyModelInfoEmitter() {}

  public static Path emit(Model model, Path repoRoot, Path outDir) {
    String text = render(model, repoRoot.resolve(CProtocolEmitter.TEMPLATE_DIR));
    Path out = outDir.resolve(OUTPUT);
    try {
      Files.createDirectories(outDir);
      if (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).equals(text)) {
        Files.writeString(out, text, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot write " + out + " (" + e.getMessage()
          + ")");
    }
    return out;
  }

  static String render(Model model, Path templateDir) {
    Map<String, Object> m = new HashMap<>();
    m.put("source", model.source() == null ? "the model" : Path.of(model.source()).getFileName().toString());
    m.put("inputs", model.inputs().stream().map(i -> tensor(model.tensor(i))).collect(Collectors.toList()));
    m.put("outputs", model.outputs().stream().map(i -> tensor(model.tensor(i))).collect(Collectors.toList()));
    List<Map<String, Object>> ops = new ArrayList<>();
    for (Operator op : model.operators()) {
      int out = op.outputs().isEmpty() ? 0xFFFF : op.output(0);
      ops.add(Map.of("output", out, "name", comment(op.opName())));
    }
    m.put("ops", ops);
    m.put("tensorCount", model.tensors().size());
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_33);
    cfg.setDefaultEncoding("UTF-8");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setNumberFormat("computer");
    try {
      cfg.setDirectoryForTemplateLoading(templateDir.toFile());
      StringWriter w = new StringWriter();
      cfg.getTemplate(TEMPLATE).process(m, w);
      return w.toString();
    } catch (IOException | TemplateException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "template " + templateDir.resolve(TEMPLATE)
          + " failed: " + e.getMessage());
    }
  }

  private static Map<String, Object> tensor(Tensor t) {
    Map<String, Object> m = new HashMap<>();
    int[] dims = t.shape().toArray();
    m.put("tensor", t.index());
    m.put("dtype", t.type().code());
    m.put("bytes", t.byteSize());
    boolean quantized = t.quantization() != null && !t.quantization().scales().isEmpty();
    // hex float literals keep the float32 scale exact
    m.put("scale", (quantized ? Float.toHexString(t.quantization().scale()) : "0x0.0p0") + "f");
    m.put("zeroPoint", quantized ? t.quantization().zeroPoint() : 0);
    m.put("dims", dims.length == 0 ? "0" : Arrays.stream(dims).mapToObj(Integer::toString)
        .collect(Collectors.joining(", ")));
    m.put("rank", dims.length);
    m.put("label", comment(t.label()));
    return m;
  }

  private static String comment(String s) {
    return s.replace("*/", "* /");
  }
}
