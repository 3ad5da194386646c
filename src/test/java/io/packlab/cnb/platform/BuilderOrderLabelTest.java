package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.descriptor.ModuleRef;
import io.packlab.cnb.descriptor.OrderGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's {@code io.buildpacks.buildpack.order} label, as pack writes it: the order as given, nothing resolved. */
class BuilderOrderLabelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEntryWithoutAVersionKeepsNone() throws Exception {
        List<OrderGroup> order = List.of(new OrderGroup(List.of(new ModuleRef("example/python", "", false))));
        assertEquals(JSON.readTree("[{\"group\": [{\"id\": \"example/python\"}]}]"), Distribution.orderLabel(order),
                "the tutorial's builder.toml names no version, and pack's label has none");
    }

    @Test
    void versionsAndOptionalAreWrittenWhereGiven() throws Exception {
        List<OrderGroup> order = List.of(
                new OrderGroup(List.of(new ModuleRef("example/python", "0.0.2", false),
                        new ModuleRef("example/procfile", "", true))),
                new OrderGroup(List.of(new ModuleRef("example/empty", "0.0.1", false))));
        assertEquals(JSON.readTree("""
                [{"group": [{"id": "example/python", "version": "0.0.2"}, {"id": "example/procfile", "optional": true}]},
                 {"group": [{"id": "example/empty", "version": "0.0.1"}]}]"""), Distribution.orderLabel(order));
    }
}
