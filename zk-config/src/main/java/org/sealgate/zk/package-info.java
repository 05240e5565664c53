package org.sealgate.zk;
