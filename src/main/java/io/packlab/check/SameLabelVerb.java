package io.packlab.check;

import io.packlab.engine.ImageInfo;
import java.util.List;
import java.util.Optional;

/** {@code same label KEY on REF1 REF2}: both images carry the label, with the same value. */
final class SameLabelVerb implements CheckVerb {

    @Override
    public String name() {
        return "same";
    }

    @Override
    public List<String> synopsis() {
        return List.of("same label KEY on REF1 REF2");
    }

    @Override
    public Check parse(Tokens t) {
        t.expect("label");
        String key = t.next("a label key");
        t.expect("on");
        String first = t.next("the first image reference");
        String second = t.next("the second image reference");
        t.end();
        return new LineCheck(t) {
            @Override
            public CheckResult evaluate(CheckContext context) {
                String expected = "the same " + key + " on " + first + " and " + second;
                Optional<ImageInfo> a = context.image(first);
                Optional<ImageInfo> b = context.image(second);
                if (a.isEmpty() || b.isEmpty()) {
                    return CheckResult.fail(this, expected, "no image " + (a.isEmpty() ? first : second) + " in the engine");
                }
                String va = a.get().labels().get(key);
                String vb = b.get().labels().get(key);
                String found = first + ": " + show(va) + ", " + second + ": " + show(vb);
                return CheckResult.of(this, va != null && va.equals(vb), expected, found);
            }
        };
    }

    private static String show(String value) {
        return value == null ? "(no label)" : ImageVerb.abbreviate(value);
    }
}
