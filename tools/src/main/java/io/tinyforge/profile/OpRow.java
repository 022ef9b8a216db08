package io.tinyforge.profile;

import io.tinyforge.check.ModelStats;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * One operator of the model as the profile shows it: index, op, the shapes of its activation inputs and of its
 * output, and its multiply-accumulates ({@link ModelStats#UNKNOWN} when not counted, 0 for data movement).
 */
public record OpRow(int index, String op, List<String> inputs, String output, long macs) {
  public OpRow {
    inputs = List.copyOf(inputs);
  }

  /** Every operator of {@code model}, in index order. */
  public static List<OpRow> of(Model model) {
    List<OpRow> rows = new ArrayList<>();
    for (Operator op : model.operators()) {
      List<String> ins = new ArrayList<>();
      for (int i : op.inputs()) {
        if (i >= 0 && !model.tensor(i).isConstant()) {
          ins.add(model.tensor(i).shape().toString());
        }
      }
      List<String> outs = new ArrayList<>();
      for (int o : op.outputs()) {
        outs.add(model.tensor(o).shape().toString());
      }
      rows.add(new OpRow(op.index(), op.opName(), ins, String.join(",", outs), ModelStats.macsOf(model, op)));
    }
    return rows;
  }
}
