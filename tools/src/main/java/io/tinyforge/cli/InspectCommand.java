package io.tinyforge.cli;

import com.google.gson.GsonBuilder;
import io.tinyforge.check.ModelStats;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.tflite.TfliteReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware inspect model.tflite [--json]}: per-op table and totals, then whether tinyforge compiles it.
 * It works on any model the reader accepts; the last line (or {@code compiles}/{@code reason}) is the checker's verdict.
 * A model that does not compile still gets its table, then exit code 2 with the reason as the one-line error.
 *
 * <p>JSON document (stable; fields are only ever added): {@code model} (path), {@code description},
 * {@code ops[]} each with {@code index, op, version, inputs[], outputs[], macs, param_bytes} ({@code macs} is null
 * when the op's shapes do not allow counting; an absent optional input is null), where a tensor is
 * {@code {index, name, type, shape[], constant}} plus {@code scale, zero_point} (per-tensor) or
 * {@code per_channel, quantized_dimension} (per-channel), nothing when unquantized; {@code totals} with
 * {@code ops, tensors, weight_bytes, macs, uncounted_ops, largest_activation {index, name, bytes}};
 * {@code folded[]} (one line per op the reader folded into a constant: SHAPE and integer ops on constants, numbered
 * as in the file; the ops[] indices are those after folding), {@code compiles} (boolean) and {@code reason} (the
 * refusal, only when it does not compile).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Print a per-op table (shapes, quantization, MACs, parameter bytes) and totals of any readable "
        + "model, then whether tinyforge compiles it (compiles: yes | compiles: no: <reason>).",
        "Exit 0 when it compiles; 2 (with the reason as a one-line error) when it does not compile or cannot be read."},
    footer = {"", "--json fields (stable, only ever added to):",
        "  model, description, compiles (true|false), reason (only when it does not compile)",
        "  ops[]: index, op, version, inputs[], outputs[], macs (null: not countable), param_bytes",
        "  tensor: index, name, type, shape[], constant, scale + zero_point | per_channel + quantized_dimension",
        "  totals: ops, tensors, weight_bytes, macs, uncounted_ops, largest_activation {index, name, bytes}",
        "  folded[]: ops folded into constants at load (SHAPE sub-graphs; static shapes), numbered as in the file"})
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
    ModelStats stats = ModelStats.of(m);
    String verdict = ModelValidator.verdict(m);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
          .create().toJson(document(m, stats, verdict)));
    } else {
      printTable(out, m, stats, verdict);
    }
    out.flush();
    if (verdict != null) {
      // the table (or JSON) is printed either way; the exit code and stderr tell scripts it does not compile
      throw new ModelException(verdict);
    }
    return 0;
  }

  private static void printTable(PrintWriter out, Model m, ModelStats stats, String verdict) {
    out.println("model: " + m.source() + (m.description().isEmpty() ? "" : " (" + m.description() + ")"));
    out.printf("%4s  %-24s %-26s %-18s %-28s %12s %10s%n", "#", "op", "inputs", "output", "output quantization",
        "MACs", "params B");
    for (ModelStats.OpStats s : stats.ops()) {
      Operator op = s.op();
      List<String> ins = new ArrayList<>();
      for (int i : op.inputs()) {
        if (i >= 0 && !m.tensor(i).isConstant()) {
          ins.add(m.tensor(i).shape().toString());
        }
      }
      List<String> outs = new ArrayList<>();
      List<String> quants = new ArrayList<>();
      for (int o : op.outputs()) {
        outs.add(m.tensor(o).shape().toString());
        quants.add(quant(m.tensor(o)));
      }
      out.printf("%4d  %-24s %-26s %-18s %-28s %12s %,10d%n", op.index(), op.opName(), String.join(",", ins),
          String.join(",", outs), String.join(",", quants), macsText(s.macs()), s.paramBytes());
    }
    for (int i = 0; i < m.inputs().size(); i++) {
      Tensor t = m.input(i);
      out.println("input " + i + ": " + t.label() + " " + t.type() + " " + t.shape() + " " + quant(t));
    }
    for (int i = 0; i < m.outputs().size(); i++) {
      Tensor t = m.output(i);
      out.println("output " + i + ": " + t.label() + " " + t.type() + " " + t.shape() + " " + quant(t));
    }
    Tensor big = stats.largestActivation();
    out.printf("totals: %d ops, %d tensors, %,d weight bytes, %,d MACs%s, largest activation %s (%,d bytes)%n",
        m.operators().size(), stats.tensorCount(), stats.weightBytes(), stats.totalMacs(),
        stats.uncountedOps() == 0 ? "" : " (" + stats.uncountedOps() + " ops not counted)",
        big == null ? "-" : big.label(), big == null ? 0 : big.byteSize());
    for (String f : m.folded()) {
      out.println("folded at load (static shape arithmetic): " + f);
    }
    out.println(verdict == null ? "compiles: yes" : "compiles: no: " + verdict);
  }

  private static String macsText(long macs) {
    return macs == ModelStats.UNKNOWN ? "?" : String.format("%,d", macs);
  }

  private static String quant(Tensor t) {
    Quantization q = t.quantization();
    if (q == null) {
      return t.type().isFloat() ? "float" : "-";
    }
    return q.describe();
  }

  private static Map<String, Object> document(Model m, ModelStats stats, String verdict) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("model", m.source());
    doc.put("description", m.description());
    List<Object> ops = new ArrayList<>();
    for (ModelStats.OpStats s : stats.ops()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("index", s.op().index());
      o.put("op", s.op().opName());
      o.put("version", s.op().version());
      List<Object> ins = new ArrayList<>();
      for (int i : s.op().inputs()) {
        ins.add(i < 0 ? null : tensor(m.tensor(i)));
      }
      o.put("inputs", ins);
      List<Object> outs = new ArrayList<>();
      for (int i : s.op().outputs()) {
        outs.add(tensor(m.tensor(i)));
      }
      o.put("outputs", outs);
      o.put("macs", s.macs() == ModelStats.UNKNOWN ? null : s.macs());
      o.put("param_bytes", s.paramBytes());
      ops.add(o);
    }
    doc.put("ops", ops);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("ops", m.operators().size());
    totals.put("tensors", stats.tensorCount());
    totals.put("weight_bytes", stats.weightBytes());
    totals.put("macs", stats.totalMacs());
    totals.put("uncounted_ops", stats.uncountedOps());
    Tensor big = stats.largestActivation();
    if (big != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("index", big.index());
      b.put("name", big.name());
      b.put("bytes", big.byteSize());
      totals.put("largest_activation", b);
    }
    doc.put("totals", totals);
    doc.put("folded", m.folded());
    doc.put("compiles", verdict == null);
    if (verdict != null) {
      doc.put("reason", verdict);
    }
    return doc;
  }

  private static Map<String, Object> tensor(Tensor t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("index", t.index());
    d.put("name", t.name());
    d.put("type", t.type().name());
    d.put("shape", t.shape().toArray());
    d.put("constant", t.isConstant());
    Quantization q = t.quantization();
    if (q != null) {
      if (q.isPerChannel()) {
        d.put("per_channel", q.channelCount());
        d.put("quantized_dimension", q.quantizedDimension());
      } else {
        d.put("scale", q.scale());
        d.put("zero_point", q.zeroPoint());
      }
    }
    return d;
  }
}
