/** GS1 barcode parsing: GTINs, variable-measure codes and GS1-128 / DataBar element strings. Plain Java. */
package com.retailedge.gateway.barcode;
