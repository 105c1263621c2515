/** The cloud link: the ordered, windowed, resumable forwarder and the intake of cloud commands. */
package com.retailedge.gateway.cloud;
